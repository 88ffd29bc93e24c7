package cxapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestReportQueryEncode(t *testing.T) {
	tests := []struct {
		q    *ReportQuery
		want string
	}{
		{nil, ""},
		{&ReportQuery{}, ""},
		{&ReportQuery{Params: json.RawMessage(`{"a":1}`)}, "params=%7B%22a%22%3A1%7D"},
		{&ReportQuery{Params: json.RawMessage(` { "title" : "First page title" } `), Data: json.RawMessage(`null`)},
			"params=%7B%22title%22%3A%22First%20page%20title%22%7D"},
		{&ReportQuery{
			Template: "Default", Theme: "3", IncludeAttachments: ptr(false), Format: "pdf", Lang: "sr-Latn",
			Timezone: "Europe/Belgrade", TempDataID: 12, Data: json.RawMessage(`{"account":"123 456"}`), Params: json.RawMessage(`{"x":"a+b&c=d"}`),
		}, "params=%7B%22x%22%3A%22a%2Bb%26c%3Dd%22%7D&data=%7B%22account%22%3A%22123%20456%22%7D&tempDataId=12" +
			"&timezone=Europe%2FBelgrade&lang=sr-Latn&format=pdf&includeAttachments=false&theme=3&template=Default"},
		{&ReportQuery{IncludeAttachments: ptr(true)}, "includeAttachments=true"},
	}
	for _, tc := range tests {
		if got := tc.q.Encode(); got != tc.want {
			t.Errorf("Encode(%+v)\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

func TestURLBuilders(t *testing.T) {
	c, err := New(Config{BaseURL: "http://example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	q := &ReportQuery{Params: json.RawMessage(`{"title":"First page title"}`), TempDataID: 5, Timezone: "UTC"}
	tests := []struct{ got, want string }{
		{c.PreviewURL("test", ReportByID(1), nil, ""), "http://example.com/ws/test/reports/1/preview"},
		{c.PreviewURL("72", ReportByType("invoice"), nil, "n-1"), "http://example.com/ws/72/reports/invoice/preview?nonce=n-1"},
		{c.PreviewURL("test", ReportByID(1), q, "abc"),
			"http://example.com/ws/test/reports/1/preview?params=%7B%22title%22%3A%22First%20page%20title%22%7D&tempDataId=5&timezone=UTC&nonce=abc"},
		{c.PreviewURL("my ws", ReportByType("a/b"), nil, ""), "http://example.com/ws/my%20ws/reports/a%2Fb/preview"},
		{c.PDFDownloadURL("test", ReportByID(1), nil), "http://example.com/api/v1/ws/test/reports/1/pdf"},
		{c.PDFDownloadURL("test", ReportByID(1), &ReportQuery{Params: json.RawMessage(`{"a":1}`)}), "http://example.com/api/v1/ws/test/reports/1/pdf?params=%7B%22a%22%3A1%7D"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("\n got %s\nwant %s", tc.got, tc.want)
		}
	}
	sub, _ := New(Config{BaseURL: "https://host/cx"})
	if got := sub.PDFDownloadURL("1", ReportByID(2), nil); got != "https://host/cx/api/v1/ws/1/reports/2/pdf" {
		t.Errorf("sub-path: %s", got)
	}
}

func TestNewPreviewURL(t *testing.T) {
	f := newFake(t, jsonOK(`{"nonce":"n+1/x"}`))
	c := newTestClient(t, f.URL, nil)
	got, err := c.NewPreviewURL(context.Background(), "26", ReportByID(160), &ReportQuery{Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if want := f.URL + "/ws/26/reports/160/preview?timezone=UTC&nonce=n%2B1%2Fx"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if f.last().uri != "/api/v1/nonce-tokens" {
		t.Errorf("nonce request: %s", f.last().uri)
	}
}

func FuzzReportQueryEncode(f *testing.F) {
	f.Add(`{"a":1}`, `{"account":"123 456"}`, int64(12), "Europe/Belgrade", "en", "pdf", "3", "Default", uint8(1))
	f.Add(` {"x" : "a+b&c=d;e"} `, ``, int64(0), "", "", "", "", "", uint8(0))
	f.Add(`not json`, `null`, int64(-1), "a b+c", "é", "1", "", "", uint8(2))
	f.Fuzz(func(t *testing.T, params, data string, tempDataID int64, tz, lang, format, theme, template string, inc uint8) {
		q := &ReportQuery{Params: json.RawMessage(params), Data: json.RawMessage(data), TempDataID: tempDataID,
			Timezone: tz, Lang: lang, Format: format, Theme: theme, Template: template}
		switch inc % 3 {
		case 1:
			q.IncludeAttachments = ptr(true)
		case 2:
			q.IncludeAttachments = ptr(false)
		}
		enc := q.Encode()
		if strings.ContainsAny(enc, " +#?") {
			t.Fatalf("unescaped character in %q", enc)
		}
		vals, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", enc, err)
		}
		check := func(key, want string) {
			got, ok := vals[key]
			switch {
			case want == "" && ok:
				t.Errorf("%s present as %q, want absent", key, got)
			case want != "" && (len(got) != 1 || got[0] != want):
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
		check("params", compactJSON(q.Params))
		check("data", compactJSON(q.Data))
		// Valid JSON round-trips to the same value.
		for key, raw := range map[string]string{"params": params, "data": data} {
			if json.Valid([]byte(raw)) && !isUnset(json.RawMessage(raw)) {
				var a, b bytes.Buffer
				_ = json.Compact(&a, []byte(raw))
				_ = json.Compact(&b, []byte(vals.Get(key)))
				if a.String() != b.String() {
					t.Errorf("%s: %q does not round-trip (%q)", key, raw, vals.Get(key))
				}
			}
		}
		check("timezone", tz)
		check("lang", lang)
		check("format", format)
		check("theme", theme)
		check("template", template)
		wantID := ""
		if tempDataID != 0 {
			wantID = strconv.FormatInt(tempDataID, 10)
		}
		check("tempDataId", wantID)
		if inc%3 == 0 {
			check("includeAttachments", "")
		} else {
			check("includeAttachments", strconv.FormatBool(inc%3 == 1))
		}
		if len(vals) > 9 {
			t.Errorf("unexpected keys: %v", vals)
		}
	})
}
