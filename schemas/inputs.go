package schemas

// The input types of the tools. Field names (json tags) are part of the
// public contract: people script against them. Descriptions are written for
// a model: short, and saying where a value comes from.
//
// Conventions:
//   - optional fields carry omitempty and never a pointer (no nullable types);
//   - free-form JSON objects are map[string]any;
//   - descriptions go in jsonschema_description so they may contain commas.

// WorkspaceArg is the optional workspace selector shared by most tools.
type WorkspaceArg struct {
	Workspace string `json:"workspace,omitempty" jsonschema_description:"Workspace id, code or name; optional when a default is set."`
}

// ReportSelector picks one report of a workspace: by id, by report type
// (its default report) or by name. Exactly one is given.
type ReportSelector struct {
	ReportID   int64  `json:"report_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Report id (list_reports). Give one of report_id, report_type, report_name."`
	ReportType string `json:"report_type,omitempty" jsonschema_description:"Report type code (list_report_types): its default report."`
	ReportName string `json:"report_name,omitempty" jsonschema_description:"Report name, exact, any case."`
}

// ReportArgs selects a report and the values it is rendered with; shared by
// export_pdf and create_preview_link.
type ReportArgs struct {
	WorkspaceArg
	ReportSelector
	Params     map[string]any `json:"params,omitempty" jsonschema_description:"Report parameters, a JSON object, e.g. {\"month\":\"2026-03\"}."`
	Data       map[string]any `json:"data,omitempty" jsonschema_description:"Report data, a JSON object; for large data use temp_data_id."`
	TempDataID int64          `json:"temp_data_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Id returned by push_temporary_data."`
	Timezone   string         `json:"timezone,omitempty" jsonschema_description:"IANA time zone, e.g. Europe/Belgrade; default: the server's."`
}

// ListWorkspacesInput is the input of list_workspaces: no arguments.
type ListWorkspacesInput struct{}

// ListReportTypesInput is the input of list_report_types.
type ListReportTypesInput struct {
	WorkspaceArg
}

// ListReportsInput is the input of list_reports.
type ListReportsInput struct {
	WorkspaceArg
	ReportType string `json:"report_type,omitempty" jsonschema_description:"Only reports of this report type code."`
	Offset     int    `json:"offset,omitempty" jsonschema:"minimum=0" jsonschema_description:"Reports to skip, for paging."`
	Limit      int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Most reports to return; default 20."`
}

// ExportPDFInput is the input of export_pdf.
type ExportPDFInput struct {
	ReportArgs
	ExportOptions
	Embed       bool `json:"embed,omitempty" jsonschema_description:"Also return the document inline (base64) when under 700 KiB."`
	IncludeText bool `json:"include_text,omitempty" jsonschema_description:"Also return the PDF's text per page (capped), to answer questions about it."`
	FolderArg
}

// FolderArg names where documents are saved, when the user says so.
type FolderArg struct {
	Folder string `json:"folder,omitempty" jsonschema_description:"Absolute path of an existing folder to save in, only if the user names one. Local (stdio) servers only."`
}

// PushTemporaryDataInput is the input of push_temporary_data.
type PushTemporaryDataInput struct {
	WorkspaceArg
	Content   map[string]any `json:"content" jsonschema:"required" jsonschema_description:"The data as a JSON object, shaped as the report expects."`
	ExpiresAt string         `json:"expires_at,omitempty" jsonschema:"format=date-time" jsonschema_description:"Expiry, RFC 3339 (e.g. 2026-12-31T23:00:00Z); default: the server's."`
}

// CreatePreviewLinkInput is the input of create_preview_link.
type CreatePreviewLinkInput struct {
	ReportArgs
	Iframe bool `json:"iframe,omitempty" jsonschema_description:"Also return an HTML iframe snippet that embeds the preview in a web page."`
}
