package sandbox

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Identities of the seed data. Other packages' tests and the README refer to
// these; they never change between runs.
const (
	DemoWorkspaceID      int64 = 1
	DemoWorkspaceCode          = "demo"
	DemoWorkspaceName          = "Demo"
	FinanceWorkspaceID   int64 = 26
	FinanceWorkspaceCode       = "finance"
	FinanceWorkspaceName       = "Finance"
	MasterWorkspaceID    int64 = 72
	MasterWorkspaceCode        = "master"
	MasterWorkspaceName        = "Master"
)

// Report type codes. Every workspace has the first five; large-document and
// failing exist in the demo workspace only.
const (
	TypeInvoice       = "invoice"
	TypeBankStatement = "bank-statement"
	TypeSalesSummary  = "sales-summary"
	TypeOther         = "other"
	TypeShowcase      = "showcase"
	TypeLargeDocument = "large-document"
	TypeFailing       = "failing"
)

// Report ids of the seed data.
const (
	// Demo workspace (1).
	InvoiceReportID        int64 = 1627 // "Invoice", default of invoice
	BankStatementReportID  int64 = 1628 // "Bank Account Statement", default of bank-statement
	MarchInvoiceReportID   int64 = 1629 // "March invoice"
	CompactInvoiceReportID int64 = 1630 // "Invoice (compact)", template Compact
	SalesByRegionReportID  int64 = 1631 // "Sales summary by region", default of sales-summary
	QuarterlySalesReportID int64 = 1632 // "Quarterly sales summary"
	SampleReportID         int64 = 1633 // "Sample report", default of other
	ShowcaseReportID       int64 = 1634 // "Showcase", default of showcase
	ReleveReportID         int64 = 1635 // "Relevé de compte": a non-ASCII name
	LargeDocumentReportID  int64 = 9001 // "Large document", default of large-document
	FailingReportID        int64 = 9002 // "Failing report", default of failing
	// Finance workspace (26).
	FinanceShowcaseReportID  int64 = 160 // "Showcase" (param title), default of showcase
	SignatureReportID        int64 = 149 // "Signature", default of other
	FinanceInvoiceReportID   int64 = 161 // "Invoice", default of invoice
	FinanceStatementReportID int64 = 162 // "Bank statement", default of bank-statement
	FinanceSalesReportID     int64 = 163 // "Sales summary", default of sales-summary
	// Master workspace (72).
	MasterInvoiceReportID   int64 = 497 // "Invoice" (param number), default of invoice
	MasterStatementReportID int64 = 498
	MasterSalesReportID     int64 = 499
	MasterOtherReportID     int64 = 500
	MasterShowcaseReportID  int64 = 501
)

// Themes and templates; they exist in every workspace.
const (
	CorporateThemeID    int64 = 3
	CorporateThemeCode        = "corporate"
	PlainThemeID        int64 = 4
	PlainThemeCode            = "plain"
	DefaultTemplateID   int64 = 2
	DefaultTemplateCode       = "default" // its name is "Default"
	CompactTemplateID   int64 = 5
	CompactTemplateCode       = "compact"
)

// Jobs; the demo and finance workspaces each hold 42 and 43 (job ids are
// scoped to their workspace), the demo workspace also the inactive 44.
const (
	DailyInvoicesJobID       int64 = 42
	DailyInvoicesJobCode           = "daily-invoices" // reviewRequired
	MonthlyStatementsJobID   int64 = 43
	MonthlyStatementsJobCode       = "monthly-statements" // no review
	WeeklyRemindersJobID     int64 = 44
	WeeklyRemindersJobCode         = "weekly-reminders" // inactive
)

type workspace struct {
	ID          int64
	Code        string
	Name        string
	Description *string
}

func (ws *workspace) label() string { return ws.Name + " (" + ws.Code + ")" }

type reportType struct {
	ID              int64
	WorkspaceID     int64
	Code            string
	Name            string
	Description     *string
	DefaultReportID int64
}

// pageRole decides what a report page renders.
type pageRole int

const (
	roleSummary pageRole = iota // parameters given and understood
	roleData                    // the data (inline, temporary or sample)
	roleNotes                   // static text
)

type page struct {
	ID    int64
	Name  string
	Type  string // page | subreport | document-merge
	Role  pageRole
	Notes []string
}

type report struct {
	ID           int64
	WorkspaceID  int64
	TypeCode     string
	Name         string
	TemplateName string
	ThemeName    string
	PreviewImage string
	IsDefault    bool
	Pages        []page
	Params       []ParamSpec
	Data         *DataSpec
}

type theme struct {
	ID   int64
	Code string
	Name string
}

type job struct {
	ID             int64
	WorkspaceID    int64
	Code           string
	Name           string
	Description    *string
	ReviewRequired bool
	IsActive       bool
	ReportID       int64
	Recipients     []string
}

// seedData is the immutable catalogue a Server serves. It is built afresh
// by seed() for every Server so that nothing is shared between servers.
type seedData struct {
	workspaces []*workspace
	types      []*reportType
	reports    []*report
	themes     []*theme
	templates  []*theme
	jobs       []*job
}

func strp(s string) *string { return &s }

// Sample data, written as JSON text so that key order is kept.
const (
	invoiceData = `{"invoice":{"invoiceNumber":"12345","dateIssued":"2024-01-27","issuer":"Test Corporation","recipient":"TEST Enterprises",` +
		`"items":[{"name":"Product 1","quantity":10,"price":29.99},{"name":"Product 2","quantity":5,"price":49.99}],"total":588.34}}`
	marchInvoiceData = `{"invoice":{"invoiceNumber":"2024-XYZ-654321","dateIssued":"2026-03-31","issuer":"Test Corporation","recipient":"Innovate Technologies Ltd.",` +
		`"items":[{"name":"Consulting (days)","quantity":4,"price":650},{"name":"Support plan","quantity":1,"price":199.5}],"total":2799.5}}`
	compactInvoiceData = `{"invoice":{"invoiceNumber":"2023-ABC-123456","dateIssued":"2023-11-15","issuer":"Test Corporation","recipient":"Tech Solutions Inc.",` +
		`"items":[{"name":"Laptop stand","quantity":20,"price":39.9},{"name":"USB-C dock","quantity":7,"price":135.7}],"total_due":1747.7}}`
	statementData = `{"account":{"accountNumber":"123456789","owner":"John Doe","currency":"USD","openingBalance":1520.00,` +
		`"transactions":[{"date":"2026-03-02","description":"Salary","amount":3200.00},{"date":"2026-03-05","description":"Rent","amount":-1200.00},` +
		`{"date":"2026-03-12","description":"Groceries","amount":-86.45}],"closingBalance":3433.55}}`
	releveData = `{"account":{"accountNumber":"987654321","owner":"Jane Smith","currency":"EUR","openingBalance":840.10,` +
		`"transactions":[{"date":"2026-03-03","description":"Café de la Gare","amount":-12.80},{"date":"2026-03-09","description":"Virement reçu","amount":500.00}],` +
		`"closingBalance":1327.30}}`
	regionData = `{"currency":"EUR","regions":[{"region":"EMEA","orders":412,"revenue":182340.5},{"region":"Americas","orders":388,"revenue":201115},` +
		`{"region":"APAC","orders":129,"revenue":64020.75}]}`
	quarterData = `{"currency":"EUR","quarters":[{"quarter":"Q1","orders":301,"revenue":121400},{"quarter":"Q2","orders":318,"revenue":133900.25},` +
		`{"quarter":"Q3","orders":276,"revenue":110870},{"quarter":"Q4","orders":344,"revenue":152011.4}]}`
	sampleData   = `{"xyz":"123"}`
	showcaseData = `{"title":"CxReports showcase","highlights":["tables","charts","sub-reports","document merge"],` +
		`"metrics":[{"name":"Pages","value":3},{"name":"Themes","value":2}]}`
	titleData     = `{"title":{"value":"123 123 123 123"}}`
	signatureData = `{"signature":{"name":"Alice Johnson","role":"Chief Financial Officer","date":"2026-03-31"}}`
	masterData    = `{"invoice":{"number":123,"customer":"Tech Solutions Inc.","total_due":1747.7}}`
	accountsData  = `{"accounts":[{"accountNumber":"123456789","owner":"John Doe"},{"accountNumber":"987654321","owner":"Jane Smith"},` +
		`{"accountNumber":"123123123","owner":"Alice Johnson"},{"accountNumber":"321321321","owner":"Bob Brown"},{"accountNumber":"456456456","owner":"Carol White"}]}`
)

// Parameter sets shared by several reports.
var (
	// invoiceParams are the parameters of the invoice reports.
	invoiceParams = func() []ParamSpec {
		return []ParamSpec{
			{Name: "month", Type: "string", Description: "Billing month, YYYY-MM.", Example: "2026-03"},
			{Name: "customer", Type: "string", Description: "Customer name printed as the recipient.", Example: "TEST Enterprises"},
			{Name: "currency", Type: "string", Description: "ISO 4217 currency code of the amounts.", Example: "EUR"},
		}
	}
	statementParams = func() []ParamSpec {
		return []ParamSpec{
			{Name: "dateFrom", Type: "string", Description: "First day of the statement, YYYY-MM-DD.", Example: "2026-03-01"},
			{Name: "dateTo", Type: "string", Description: "Last day of the statement, YYYY-MM-DD.", Example: "2026-03-31"},
		}
	}
	titleParams = func() []ParamSpec {
		return []ParamSpec{{Name: "title", Type: "string", Description: "Title printed on the first page.", Example: "First page title"}}
	}
)

func dataSpec(description, example string) *DataSpec {
	return &DataSpec{Description: description, Example: json.RawMessage(example)}
}

func invoicePages(id int64) []page {
	return []page{
		{ID: id*10 + 1, Name: "Summary", Type: "page", Role: roleSummary},
		{ID: id*10 + 2, Name: "Items", Type: "page", Role: roleData},
		{ID: id*10 + 3, Name: "Terms", Type: "subreport", Role: roleNotes,
			Notes: []string{"Payment is due within 30 days of the invoice date.", "Thank you for your business."}},
	}
}

func twoPages(id int64, dataName string) []page {
	return []page{
		{ID: id*10 + 1, Name: "Summary", Type: "page", Role: roleSummary},
		{ID: id*10 + 2, Name: dataName, Type: "page", Role: roleData},
	}
}

// seed builds the catalogue. Type ids are workspace*100 + n.
func seed() *seedData {
	d := &seedData{
		workspaces: []*workspace{
			{ID: DemoWorkspaceID, Code: DemoWorkspaceCode, Name: DemoWorkspaceName, Description: strp("Sample reports for trying cxreports-mcp")},
			{ID: FinanceWorkspaceID, Code: FinanceWorkspaceCode, Name: FinanceWorkspaceName},
			{ID: MasterWorkspaceID, Code: MasterWorkspaceCode, Name: MasterWorkspaceName, Description: strp("Examples of the vendor's master tenant")},
		},
		themes: []*theme{
			{ID: CorporateThemeID, Code: CorporateThemeCode, Name: "Corporate"},
			{ID: PlainThemeID, Code: PlainThemeCode, Name: "Plain"},
		},
		templates: []*theme{
			{ID: DefaultTemplateID, Code: DefaultTemplateCode, Name: "Default"},
			{ID: CompactTemplateID, Code: CompactTemplateCode, Name: "Compact"},
		},
	}
	typeDefs := []struct {
		n                 int64
		code, name, descr string
	}{
		{1, TypeInvoice, "Invoice", "Invoices sent to customers"},
		{2, TypeBankStatement, "Bank statement", "Account statements"},
		{3, TypeSalesSummary, "Sales summary", "Sales figures by period or region"},
		{4, TypeOther, "Miscellaneous", ""},
		{5, TypeShowcase, "Showcase", "What CxReports can render"},
		{6, TypeLargeDocument, "Large document", "A PDF of a chosen size, for testing downloads"},
		{7, TypeFailing, "Failing report", "Always fails to render, for testing errors"},
	}
	defaults := map[int64]map[string]int64{
		DemoWorkspaceID: {TypeInvoice: InvoiceReportID, TypeBankStatement: BankStatementReportID, TypeSalesSummary: SalesByRegionReportID,
			TypeOther: SampleReportID, TypeShowcase: ShowcaseReportID, TypeLargeDocument: LargeDocumentReportID, TypeFailing: FailingReportID},
		FinanceWorkspaceID: {TypeInvoice: FinanceInvoiceReportID, TypeBankStatement: FinanceStatementReportID, TypeSalesSummary: FinanceSalesReportID,
			TypeOther: SignatureReportID, TypeShowcase: FinanceShowcaseReportID},
		MasterWorkspaceID: {TypeInvoice: MasterInvoiceReportID, TypeBankStatement: MasterStatementReportID, TypeSalesSummary: MasterSalesReportID,
			TypeOther: MasterOtherReportID, TypeShowcase: MasterShowcaseReportID},
	}
	for _, ws := range d.workspaces {
		for _, td := range typeDefs {
			def, ok := defaults[ws.ID][td.code]
			if !ok {
				continue
			}
			rt := &reportType{ID: ws.ID*100 + td.n, WorkspaceID: ws.ID, Code: td.code, Name: td.name, DefaultReportID: def}
			if td.descr != "" {
				rt.Description = strp(td.descr)
			}
			d.types = append(d.types, rt)
		}
	}

	inv := func(id, ws int64, name, tmpl, data string, isDefault bool) *report {
		return &report{ID: id, WorkspaceID: ws, TypeCode: TypeInvoice, Name: name, TemplateName: tmpl, ThemeName: "Corporate",
			IsDefault: isDefault, Pages: invoicePages(id), Params: invoiceParams(),
			Data: dataSpec("An invoice: number, dates, issuer, recipient, items (name, quantity, price) and total.", data)}
	}
	stmt := func(id, ws int64, name, data string, isDefault bool) *report {
		return &report{ID: id, WorkspaceID: ws, TypeCode: TypeBankStatement, Name: name, TemplateName: "Default", ThemeName: "Plain",
			IsDefault: isDefault, Pages: twoPages(id, "Transactions"), Params: statementParams(),
			Data: dataSpec("An account: number, owner, currency, balances and transactions (date, description, amount).", data)}
	}
	d.reports = []*report{
		inv(InvoiceReportID, DemoWorkspaceID, "Invoice", "Default", invoiceData, true),
		stmt(BankStatementReportID, DemoWorkspaceID, "Bank Account Statement", statementData, true),
		inv(MarchInvoiceReportID, DemoWorkspaceID, "March invoice", "Default", marchInvoiceData, false),
		inv(CompactInvoiceReportID, DemoWorkspaceID, "Invoice (compact)", "Compact", compactInvoiceData, false),
		{ID: SalesByRegionReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeSalesSummary, Name: "Sales summary by region",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: twoPages(SalesByRegionReportID, "Regions"),
			Params: []ParamSpec{
				{Name: "year", Type: "integer", Description: "Calendar year of the figures.", Example: 2026},
				{Name: "region", Type: "string", Description: "Only this region (EMEA, Americas or APAC); all when absent.", Example: "EMEA"},
			},
			Data: dataSpec("Revenue and order counts per region.", regionData)},
		{ID: QuarterlySalesReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeSalesSummary, Name: "Quarterly sales summary",
			TemplateName: "Default", ThemeName: "Corporate", Pages: twoPages(QuarterlySalesReportID, "Quarters"),
			Params: []ParamSpec{
				{Name: "year", Type: "integer", Description: "Calendar year of the figures.", Example: 2026},
				{Name: "quarter", Type: "integer", Description: "Quarter 1 to 4; all four when absent.", Example: 1},
			},
			Data: dataSpec("Revenue and order counts per quarter.", quarterData)},
		{ID: SampleReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeOther, Name: "Sample report",
			TemplateName: "Default", ThemeName: "Plain", IsDefault: true, Pages: twoPages(SampleReportID, "Data"),
			Params: titleParams(), Data: dataSpec("Any JSON object; every key is printed.", sampleData)},
		{ID: ShowcaseReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeShowcase, Name: "Showcase",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, PreviewImage: "/images/showcase.png",
			Pages: []page{
				{ID: ShowcaseReportID*10 + 1, Name: "Cover", Type: "page", Role: roleSummary},
				{ID: ShowcaseReportID*10 + 2, Name: "Content", Type: "page", Role: roleData},
				{ID: ShowcaseReportID*10 + 3, Name: "Appendix", Type: "document-merge", Role: roleNotes,
					Notes: []string{"This page stands for a merged PDF document."}},
			},
			Params: append(titleParams(), ParamSpec{Name: "showMetrics", Type: "boolean", Description: "Print the metrics table.", Example: true}),
			Data:   dataSpec("A title, a list of highlights and a metrics table.", showcaseData)},
		stmt(ReleveReportID, DemoWorkspaceID, "Relevé de compte", releveData, false),
		{ID: LargeDocumentReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeLargeDocument, Name: "Large document",
			TemplateName: "Default", ThemeName: "Plain", IsDefault: true, Pages: twoPages(LargeDocumentReportID, "Body"),
			Params: []ParamSpec{{Name: "sizeMB", Type: "integer",
				Description: "Size of the PDF in MiB, 1 to 500 (default 5). PDF only; streamed, never held in memory.", Example: 5}}},
		{ID: FailingReportID, WorkspaceID: DemoWorkspaceID, TypeCode: TypeFailing, Name: "Failing report",
			TemplateName: "Default", ThemeName: "Plain", IsDefault: true, Pages: twoPages(FailingReportID, "Data")},

		{ID: FinanceShowcaseReportID, WorkspaceID: FinanceWorkspaceID, TypeCode: TypeShowcase, Name: "Showcase",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: twoPages(FinanceShowcaseReportID, "Content"),
			Params: titleParams(), Data: dataSpec("A title object with a value.", titleData)},
		{ID: SignatureReportID, WorkspaceID: FinanceWorkspaceID, TypeCode: TypeOther, Name: "Signature",
			TemplateName: "Default", ThemeName: "Plain", IsDefault: true, Pages: twoPages(SignatureReportID, "Signature"),
			Params: titleParams(), Data: dataSpec("The signer: name, role and date.", signatureData)},
		inv(FinanceInvoiceReportID, FinanceWorkspaceID, "Invoice", "Default", invoiceData, true),
		stmt(FinanceStatementReportID, FinanceWorkspaceID, "Bank statement", statementData, true),
		{ID: FinanceSalesReportID, WorkspaceID: FinanceWorkspaceID, TypeCode: TypeSalesSummary, Name: "Sales summary",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: twoPages(FinanceSalesReportID, "Regions"),
			Params: []ParamSpec{{Name: "year", Type: "integer", Description: "Calendar year of the figures.", Example: 2026}},
			Data:   dataSpec("Revenue and order counts per region.", regionData)},

		{ID: MasterInvoiceReportID, WorkspaceID: MasterWorkspaceID, TypeCode: TypeInvoice, Name: "Invoice",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: invoicePages(MasterInvoiceReportID),
			Params: []ParamSpec{{Name: "number", Type: "integer", Description: "Invoice number to print.", Example: 123}},
			Data:   dataSpec("An invoice: number, customer and total due.", masterData)},
		stmt(MasterStatementReportID, MasterWorkspaceID, "Bank statement", statementData, true),
		{ID: MasterSalesReportID, WorkspaceID: MasterWorkspaceID, TypeCode: TypeSalesSummary, Name: "Sales summary",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: twoPages(MasterSalesReportID, "Regions"),
			Params: []ParamSpec{{Name: "year", Type: "integer", Description: "Calendar year of the figures.", Example: 2026}},
			Data:   dataSpec("Revenue and order counts per region.", regionData)},
		{ID: MasterOtherReportID, WorkspaceID: MasterWorkspaceID, TypeCode: TypeOther, Name: "Miscellaneous",
			TemplateName: "Default", ThemeName: "Plain", IsDefault: true, Pages: twoPages(MasterOtherReportID, "Data"),
			Params: titleParams(), Data: dataSpec("Any JSON object; every key is printed.", sampleData)},
		{ID: MasterShowcaseReportID, WorkspaceID: MasterWorkspaceID, TypeCode: TypeShowcase, Name: "Showcase",
			TemplateName: "Default", ThemeName: "Corporate", IsDefault: true, Pages: twoPages(MasterShowcaseReportID, "Content"),
			Params: titleParams(), Data: dataSpec("A title, a list of highlights and a metrics table.", showcaseData)},
	}

	for _, ws := range []int64{DemoWorkspaceID, FinanceWorkspaceID} {
		d.jobs = append(d.jobs,
			&job{ID: DailyInvoicesJobID, WorkspaceID: ws, Code: DailyInvoicesJobCode, Name: "Daily invoices",
				Description: strp("Sends yesterday's invoices to each customer after review"), ReviewRequired: true, IsActive: true,
				ReportID:   map[int64]int64{DemoWorkspaceID: InvoiceReportID, FinanceWorkspaceID: FinanceInvoiceReportID}[ws],
				Recipients: []string{"billing@test-enterprises.example", "accounts@tech-solutions.example", "finance@innovate-tech.example"}},
			&job{ID: MonthlyStatementsJobID, WorkspaceID: ws, Code: MonthlyStatementsJobCode, Name: "Monthly statements",
				Description: strp("Sends each account holder a monthly statement"), IsActive: true,
				ReportID:   map[int64]int64{DemoWorkspaceID: BankStatementReportID, FinanceWorkspaceID: FinanceStatementReportID}[ws],
				Recipients: []string{"john.doe@example.com", "jane.smith@example.com", "alice.johnson@example.com", "bob.brown@example.com", "carol.white@example.com"}},
		)
	}
	slices.SortFunc(d.reports, func(a, b *report) int { return cmp.Compare(a.ID, b.ID) })
	d.jobs = append(d.jobs, &job{ID: WeeklyRemindersJobID, WorkspaceID: DemoWorkspaceID, Code: WeeklyRemindersJobCode, Name: "Weekly reminders",
		IsActive: false, ReportID: SampleReportID, Recipients: []string{"team@example.com"}})
	return d
}

// workspace resolves a numeric id or a code (case-insensitive).
func (d *seedData) workspace(key string) *workspace {
	id, isNum := parseID(key)
	for _, ws := range d.workspaces {
		if (isNum && ws.ID == id) || strings.EqualFold(ws.Code, key) {
			return ws
		}
	}
	return nil
}

func (d *seedData) reportType(wsID int64, code string) *reportType {
	for _, rt := range d.types {
		if rt.WorkspaceID == wsID && strings.EqualFold(rt.Code, code) {
			return rt
		}
	}
	return nil
}

func (d *seedData) reportByID(id int64) *report {
	for _, r := range d.reports {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (d *seedData) job(wsID int64, key string) *job {
	id, isNum := parseID(key)
	for _, j := range d.jobs {
		if j.WorkspaceID == wsID && ((isNum && j.ID == id) || strings.EqualFold(j.Code, key)) {
			return j
		}
	}
	return nil
}

// lookupTheme finds a theme or template by id, code or name (case-insensitive).
func lookupTheme(list []*theme, key string) *theme {
	id, isNum := parseID(key)
	for _, t := range list {
		if (isNum && t.ID == id) || strings.EqualFold(t.Code, key) || strings.EqualFold(t.Name, key) {
			return t
		}
	}
	return nil
}

// parseID reads a non-negative decimal id.
func parseID(s string) (int64, bool) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}
