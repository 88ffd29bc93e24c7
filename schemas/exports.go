package schemas

// The export options of export_pdf and the types of list_report_options.

// ExportOptions are export_pdf's arguments beyond the report selection:
// the document's format and look, pages to leave out, and the background
// (asynchronous) export with its handle.
type ExportOptions struct {
	Format             string `json:"format,omitempty" jsonschema:"enum=pdf,enum=docx,enum=xlsx,enum=pptx,enum=html" jsonschema_description:"Document format; default pdf."`
	Theme              string `json:"theme,omitempty" jsonschema_description:"Theme id or code (list_report_options) instead of the report's own."`
	Template           string `json:"template,omitempty" jsonschema_description:"Template id or code (list_report_options) instead of the report's own."`
	Lang               string `json:"lang,omitempty" jsonschema_description:"Report language, e.g. en."`
	IncludeAttachments bool   `json:"include_attachments,omitempty" jsonschema_description:"Include the report's attachments."`
	ExcludePages       []int  `json:"exclude_pages,omitempty" jsonschema:"minimum=1" jsonschema_description:"Page numbers to leave out (list_report_options). Runs as a background export."`
	Async              bool   `json:"async,omitempty" jsonschema_description:"Background export for slow or large reports: waits a while, then returns an export_id if not done."`
	ExportID           int64  `json:"export_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Collect a background export: the export_id (and workspace) from an earlier result. Needs no report."`
}

// ListReportOptionsInput is the input of list_report_options.
type ListReportOptionsInput struct {
	WorkspaceArg
	ReportSelector
}

// PageItem is one page of a report in list_report_options.
type PageItem struct {
	Number int    `json:"number" jsonschema_description:"1-based position; pass it in exclude_pages."`
	ID     int64  `json:"id"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type" jsonschema_description:"page, subreport or document-merge."`
}

// OptionItem is one theme or template in list_report_options.
type OptionItem struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// ListReportOptionsOutput is the structured result of list_report_options.
type ListReportOptionsOutput struct {
	Workspace string       `json:"workspace"`
	Pages     []PageItem   `json:"pages,omitempty" jsonschema_description:"Present when a report was given."`
	Themes    []OptionItem `json:"themes"`
	Templates []OptionItem `json:"templates"`
}
