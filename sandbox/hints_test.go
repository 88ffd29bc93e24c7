package sandbox

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite report-hints.json from the Go data")

func TestReportHintsFileMatchesGoData(t *testing.T) {
	want, err := MarshalHints()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("report-hints.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("report-hints.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("report-hints.json is stale; run go test ./sandbox -run TestReportHintsFileMatchesGoData -update")
	}
	var h Hints
	if err := json.Unmarshal(got, &h); err != nil {
		t.Fatal(err)
	}
	inv := h.Reports["1627"]
	if len(inv.Params) != 3 || inv.Params[0].Name != "month" || inv.Params[0].Example != "2026-03" || inv.Data == nil {
		t.Fatalf("hint 1627 = %+v", inv)
	}
	if h.ReportTypes[TypeInvoice].Params[0].Name != "month" {
		t.Fatalf("type hint invoice = %+v", h.ReportTypes[TypeInvoice])
	}
	if len(h.Reports) != len(seed().reports) {
		t.Fatalf("%d report hints, want %d", len(h.Reports), len(seed().reports))
	}
}

func TestReportParams(t *testing.T) {
	names := func(id int64) []string {
		var out []string
		for _, p := range ReportParams(id) {
			out = append(out, p.Name)
		}
		return out
	}
	for id, want := range map[int64][]string{
		InvoiceReportID:         {"month", "customer", "currency"},
		BankStatementReportID:   {"dateFrom", "dateTo"},
		FinanceShowcaseReportID: {"title"},
		MasterInvoiceReportID:   {"number"},
		LargeDocumentReportID:   {"sizeMB"},
		FailingReportID:         nil,
		999999:                  nil,
	} {
		if got := names(id); !slices.Equal(got, want) {
			t.Errorf("ReportParams(%d) = %v, want %v", id, got, want)
		}
	}
}
