package tools

// Toolset names.
const (
	// ToolsetCore holds the seven tools every user gets by default.
	ToolsetCore = "core"
	// ToolsetExports holds the export tools beyond export_pdf: pages,
	// themes, templates and asynchronous exports.
	ToolsetExports = "exports"
	// ToolsetJobs holds the job tools: runs, status, review, delivery.
	ToolsetJobs = "jobs"
)

// All returns every tool this server defines, in a stable order.
func All() []Tool {
	return []Tool{
		listWorkspaces(),
		listReportTypes(),
		listReports(),
		describeReport(),
		exportPDF(),
		pushTemporaryData(),
		createPreviewLink(),
		listJobs(),
		startJobRun(),
		getJobRun(),
		createReviewDocument(),
		deliverJobRun(),
		listReportOptions(),
		exportBatch(),
	}
}
