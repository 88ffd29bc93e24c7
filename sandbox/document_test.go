package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	v, err := decodeJSON([]byte(`{"b":1,"a":{"y":[1,"x",null,true]},"b":2}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := compactJSON(v); got != `{"b":2,"a":{"y":[1,"x",null,true]}}` {
		t.Fatalf("order or duplicate handling: %s", got)
	}
	if compactJSON(object{{"h", "<&>"}}) != `{"h":"<&>"}` {
		t.Fatal("HTML escaped")
	}
	for _, bad := range []string{``, `{`, `{"a":1} x`, `{1:2}`, `]`, strings.Repeat("[", 300) + strings.Repeat("]", 300)} {
		if _, err := decodeJSON([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDataBlocks(t *testing.T) {
	v := mustDecode(`{"name":"n","tags":["a",1,true,null],"empty":[],"nested":{"deep":{"k":"v"}},"mixed":[{"a":1},2],` +
		`"rows":[{"a":1,"b":{"x":1}},{"c":"z","a":2}],"none":{}}`)
	var lines []string
	for _, b := range dataBlocks(v, 0) {
		switch b.Kind {
		case blockTable:
			lines = append(lines, strings.Repeat(">", b.Level)+"table "+strings.Join(b.Columns, ",")+" / "+strings.Join(b.Rows[0], ",")+" / "+strings.Join(b.Rows[1], ","))
		default:
			lines = append(lines, strings.Repeat(">", b.Level)+b.Text)
		}
	}
	want := []string{
		"name: n", "tags: a, 1, true, null", "empty: (none)",
		">nested", ">>deep", ">>k: v",
		`mixed: {"a":1}, 2`,
		">rows", `>table a,b,c / 1,{"x":1}, / 2,,z`,
		">none", ">(empty)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("blocks:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got := dataBlocks(mustDecode(`[{"a":1}]`), 0); len(got) != 1 || got[0].Kind != blockTable {
		t.Fatalf("top-level array: %+v", got)
	}
	if got := dataBlocks(mustDecode(`"just text"`), 0); got[0].Text != "just text" {
		t.Fatalf("scalar: %+v", got)
	}
}

// TestHostileInput checks that odd input gives 4xx answers, never a crash
// or an unbounded document.
func TestHostileInput(t *testing.T) {
	h := newHarness(t)
	deep := strings.Repeat(`{"a":`, 250) + "1" + strings.Repeat("}", 250)
	expectProblem(t, h.get(invoicePDF+"?data="+url.QueryEscape(deep)), 400, ValidationTitle)
	expectProblem(t, h.post(invoicePDF, `{"data":`+deep+`}`), 400, ValidationTitle)
	var rows []string
	for range maxTableRows + 50 {
		rows = append(rows, `{"n":"`+strings.Repeat("w", 300)+`"}`)
	}
	r := h.post(invoicePDF, `{"data":{"items":[`+strings.Join(rows, ",")+`]}}`)
	expectStatus(t, r, 200)
	if text := pdftotext(t, r.body); !strings.Contains(text, "... 50 more rows") {
		t.Fatal("long tables are not capped")
	}
	for _, path := range []string{
		"/api/v1/ws/1/reports/%00/pdf", "/api/v1/ws/1/reports/99999999999999999999/pdf",
		"/api/v1/ws/1/jobs/42/runs/99999999999999999999/status", "/api/v1/ws/1/exports/%20/status",
	} {
		resp := h.req("GET", path, DefaultToken, nil)
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}
