package schemas

// The input and output types of describe_report.

// DescribeReportInput is the input of describe_report.
type DescribeReportInput struct {
	WorkspaceArg
	ReportSelector
}

// DescribeReportOutput is the structured result of describe_report.
type DescribeReportOutput struct {
	Workspace      string          `json:"workspace"`
	ID             int64           `json:"id"`
	Name           string          `json:"name,omitempty"`
	ReportType     string          `json:"report_type,omitempty"`
	ReportTypeName string          `json:"report_type_name,omitempty"`
	Template       string          `json:"template,omitempty"`
	Theme          string          `json:"theme,omitempty"`
	Default        bool            `json:"default,omitempty"`
	Pages          []DescribedPage `json:"pages"`
	Hints          *HintsItem      `json:"hints,omitempty"`
}

// DescribedPage is one page of a report in describe_report.
type DescribedPage struct {
	Number int    `json:"number"`
	ID     int64  `json:"id"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type"`
}

// HintsItem is what the report hints file says about a report.
type HintsItem struct {
	For         string      `json:"for"`
	Description string      `json:"description,omitempty"`
	Params      []ParamItem `json:"params"`
	Data        *DataItem   `json:"data,omitempty"`
}

// ParamItem is one documented report parameter.
type ParamItem struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Example     string `json:"example,omitempty"`
}

// DataItem describes the data a report renders.
type DataItem struct {
	Description string         `json:"description,omitempty"`
	Example     map[string]any `json:"example,omitempty"`
}
