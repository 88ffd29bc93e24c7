package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	cases := []struct{ in, ext, want string }{
		{"Invoice 1627.pdf", ".pdf", "Invoice 1627.pdf"},
		{"Invoice 1627", ".pdf", "Invoice 1627.pdf"},
		{"report.PDF", ".pdf", "report.pdf"},
		{"../../etc/passwd", ".pdf", "passwd.pdf"},
		{`..\..\Windows\win.ini`, ".pdf", "win.ini.pdf"},
		{"/abs/path/x.pdf", ".pdf", "x.pdf"},
		{"a\x00b\nc.pdf", ".pdf", "abc.pdf"},
		{`what: is <this>?.pdf`, ".pdf", "what_ is _this__.pdf"},
		{"CON", ".pdf", "_CON.pdf"},
		{"com1.pdf", ".pdf", "_com1.pdf"},
		{"LPT9.txt", ".pdf", "_LPT9.txt.pdf"},
		{"..", ".pdf", "report.pdf"},
		{"", ".pdf", "report.pdf"},
		{".hidden", ".pdf", "hidden.pdf"},
		{"  spaced . ", ".pdf", "spaced.pdf"},
		{"Rechnung März.pdf", ".pdf", "Rechnung März.pdf"},
		{"COM¹.pdf", ".pdf", "_COM¹.pdf"},
		{"lpt³", ".pdf", "_lpt³.pdf"},
		{"COM10", ".pdf", "COM10.pdf"},
		{"nul .txt", ".pdf", "_nul .txt.pdf"},
		{"invoice\u202efdp.exe", ".pdf", "invoicefdp.exe.pdf"},
		{"zero\u200bwidth\ufeff.pdf", ".pdf", "zerowidth.pdf"},
		{"C:\\Windows\\x.pdf", ".pdf", "x.pdf"},
		{"C:x.pdf", ".pdf", "C_x.pdf"},
		{"\\\\server\\share\\y", ".pdf", "y.pdf"},
		{"a\x00/../b.pdf", ".pdf", "b.pdf"},
		{"...", ".pdf", "report.pdf"},
		{"bad\xffutf8.pdf", ".pdf", "badutf8.pdf"},
	}
	for _, c := range cases {
		if got := SafeName(c.in, c.ext); got != c.want {
			t.Errorf("SafeName(%q, %q) = %q, want %q", c.in, c.ext, got, c.want)
		}
	}
	long := SafeName(strings.Repeat("é", 300)+".pdf", ".pdf")
	if len(long) > MaxNameBytes || !utf8.ValidString(long) || !strings.HasSuffix(long, ".pdf") {
		t.Errorf("long name: %d bytes, valid %v: %q", len(long), utf8.ValidString(long), long)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"Invoice.pdf", "../x", "CON", "a/b\\c", "\x00", strings.Repeat("x", 300), "é.pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeName(in, ".pdf")
		if !strings.HasSuffix(got, ".pdf") || len(got) > MaxNameBytes || !utf8.ValidString(got) {
			t.Fatalf("SafeName(%q) = %q", in, got)
		}
		if strings.ContainsAny(got, "/\\\x00<>:\"|?*") || strings.HasPrefix(got, ".") {
			t.Fatalf("SafeName(%q) = %q is unsafe", in, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("SafeName(%q) = %q holds the invisible %U", in, got, r)
			}
		}
		if reserved(strings.TrimSuffix(got, ".pdf")) {
			t.Fatalf("SafeName(%q) = %q is a Windows device name", in, got)
		}
		if filepath.Base(got) != got || got == SafeName("", "") {
			t.Fatalf("SafeName(%q) = %q escapes", in, got)
		}
		if SafeName(got, ".pdf") != got {
			t.Fatalf("SafeName is not idempotent on %q: %q", got, SafeName(got, ".pdf"))
		}
	})
}

func TestSaveNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) func(io.Writer) (string, error) {
		return func(w io.Writer) (string, error) {
			_, err := io.WriteString(w, content)
			return "Invoice.pdf", err
		}
	}
	var paths []string
	for _, c := range []string{"one", "two", "three"} {
		p, err := Save(dir, ".pdf", write(c))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Base(p))
	}
	want := []string{"Invoice.pdf", "Invoice-2.pdf", "Invoice-3.pdf"}
	for i := range want {
		if paths[i] != want[i] {
			t.Errorf("path %d = %q, want %q", i, paths[i], want[i])
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "Invoice.pdf")); string(b) != "one" {
		t.Errorf("first file was overwritten: %q", b)
	}
	assertOnly(t, dir, want...)
}

func TestSaveLeavesNothingOnError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "folder")
	boom := errors.New("boom")
	_, err := Save(dir, ".pdf", func(w io.Writer) (string, error) {
		io.WriteString(w, "%PDF-1.4 partial")
		return "", boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	assertOnly(t, dir)
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(names)
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

// TestSaveNeverWritesThroughExistingNames: a name taken by a file, a
// folder or a symbolic link (even one pointing outside the folder) is
// skipped, and what it points at is never touched.
func TestSaveNeverWritesThroughExistingNames(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(outside, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Invoice.pdf"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "Invoice-2.pdf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "Invoice-3.pdf")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "Invoice-4.pdf")); err != nil {
		t.Fatal(err)
	}
	path, err := Save(dir, ".pdf", func(w io.Writer) (string, error) {
		_, err := io.WriteString(w, "%PDF-new")
		return "../Invoice.pdf", err
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "Invoice-5.pdf" || filepath.Dir(path) != dir {
		t.Errorf("saved as %s", path)
	}
	for file, want := range map[string]string{filepath.Join(dir, "Invoice.pdf"): "mine", outside: "keep", path: "%PDF-new"} {
		if b, _ := os.ReadFile(file); string(b) != want {
			t.Errorf("%s holds %q, want %q", file, b, want)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a dangling link was followed")
	}
}
