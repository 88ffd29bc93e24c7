package schemas

// The output types of the tools that declare an outputSchema. A tool that
// declares one returns matching structuredContent on success (and the same
// data as compact text). Lists are wrapped in objects: clients on protocol
// versions before 2026-07-28 require an object.

// WorkspaceItem is one workspace in list_workspaces.
type WorkspaceItem struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty" jsonschema_description:"The configured default workspace."`
}

// ListWorkspacesOutput is the structured result of list_workspaces.
type ListWorkspacesOutput struct {
	Workspaces []WorkspaceItem `json:"workspaces"`
}

// ReportTypeItem is one report type in list_report_types.
type ReportTypeItem struct {
	ID                int64  `json:"id"`
	Code              string `json:"code"`
	Name              string `json:"name"`
	Description       string `json:"description,omitempty"`
	DefaultReportID   int64  `json:"default_report_id,omitempty"`
	DefaultReportName string `json:"default_report_name,omitempty"`
}

// ListReportTypesOutput is the structured result of list_report_types.
type ListReportTypesOutput struct {
	Workspace   string           `json:"workspace"`
	ReportTypes []ReportTypeItem `json:"report_types"`
}

// ReportItem is one report in list_reports.
type ReportItem struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	ReportType     string `json:"report_type,omitempty" jsonschema_description:"Type code."`
	ReportTypeName string `json:"report_type_name"`
	Template       string `json:"template,omitempty"`
	Theme          string `json:"theme,omitempty"`
	Default        bool   `json:"default,omitempty" jsonschema_description:"The default report of its type."`
}

// ListReportsOutput is the structured result of list_reports.
type ListReportsOutput struct {
	Workspace  string       `json:"workspace"`
	Offset     int          `json:"offset"`
	Limit      int          `json:"limit"`
	Reports    []ReportItem `json:"reports"`
	NextOffset int          `json:"next_offset,omitempty" jsonschema_description:"Present when more reports may follow: pass it as offset."`
}
