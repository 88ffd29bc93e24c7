package tools

// Toolset names.
const (
	// ToolsetCore holds the six tools every user gets by default.
	ToolsetCore = "core"
)

// All returns every tool this server defines, in a stable order.
func All() []Tool {
	return []Tool{
		listWorkspaces(),
		listReportTypes(),
		listReports(),
		exportPDF(),
		pushTemporaryData(),
		createPreviewLink(),
	}
}
