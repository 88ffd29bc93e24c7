package schemas

// The types of export_batch.

// MaxBatchItems caps the documents of one export_batch call.
const MaxBatchItems = 50

// ExportBatchInput is the input of export_batch.
type ExportBatchInput struct {
	WorkspaceArg
	Items    []BatchItem `json:"items" jsonschema:"required,minItems=1,maxItems=50" jsonschema_description:"The documents, 1 to 50: one report with different params or data, or different reports."`
	Format   string      `json:"format,omitempty" jsonschema:"enum=pdf,enum=docx,enum=xlsx,enum=pptx,enum=html" jsonschema_description:"Format of every document; default pdf."`
	Theme    string      `json:"theme,omitempty" jsonschema_description:"Theme id or code for every document (list_report_options)."`
	Template string      `json:"template,omitempty" jsonschema_description:"Template id or code for every document (list_report_options)."`
	Lang     string      `json:"lang,omitempty" jsonschema_description:"Report language, e.g. en."`
	Timezone string      `json:"timezone,omitempty" jsonschema_description:"IANA time zone such as Europe/Belgrade. Defaults to the server's zone."`
	ZipName  string      `json:"zip_name,omitempty" jsonschema_description:"Name of the ZIP of all documents, without extension; default cxreports-batch."`
	FolderArg
}

// BatchItem is one document of export_batch.
type BatchItem struct {
	ReportSelector
	Params     map[string]any `json:"params,omitempty" jsonschema_description:"Report parameters as a JSON object."`
	Data       map[string]any `json:"data,omitempty" jsonschema_description:"Report data as a JSON object."`
	TempDataID int64          `json:"temp_data_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Id returned by push_temporary_data."`
	FileName   string         `json:"file_name,omitempty" jsonschema_description:"File name for this document, without extension; default the report's name."`
}

// BatchItemResult is the outcome of one document of export_batch.
type BatchItemResult struct {
	Item int    `json:"item" jsonschema_description:"1-based position in items."`
	File string `json:"file,omitempty" jsonschema_description:"Path of the saved document."`
	URI  string `json:"uri,omitempty" jsonschema_description:"Resource URI of the saved document."`
	// Error says why there is no document, or how to collect one that
	// is still rendering.
	Error string `json:"error,omitempty" jsonschema_description:"Why this document was not saved, or how to collect it later."`
}

// ExportBatchOutput is the structured result of export_batch.
type ExportBatchOutput struct {
	Workspace string            `json:"workspace"`
	Folder    string            `json:"folder" jsonschema_description:"Where the documents were saved."`
	Saved     int               `json:"saved" jsonschema_description:"How many documents were saved."`
	Items     []BatchItemResult `json:"items"`
	Zip       string            `json:"zip,omitempty" jsonschema_description:"Path of the ZIP of the saved documents."`
	ZipURI    string            `json:"zip_uri,omitempty" jsonschema_description:"Resource URI of the ZIP."`
}
