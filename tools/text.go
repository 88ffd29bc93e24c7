package tools

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/internal/pdftext"
)

// textTimeout bounds reading the text of one exported document.
const textTimeout = 20 * time.Second

// withDocumentText appends the text of the saved PDF at path to a
// successful export result (export_pdf's include_text), as one more text
// block: page by page, capped, with a note when cut. A PDF whose text
// cannot be read still leaves the export a success; the block then says
// why. Error results pass through unchanged.
func withDocumentText(ctx context.Context, res *mcp.CallToolResult, path string) *mcp.CallToolResult {
	if res == nil || res.IsError {
		return res
	}
	res.Content = append(res.Content, mcp.NewTextContent(documentText(ctx, path)))
	return res
}

// documentText renders the text of the PDF at path for a model.
func documentText(ctx context.Context, path string) string {
	name := filepath.Base(path)
	ctx, cancel := context.WithTimeout(ctx, textTimeout)
	defer cancel()
	t, err := extractFile(ctx, path)
	if err != nil {
		return fmt.Sprintf("Could not read the text of %s: %s. The PDF itself was saved; open the file to read it.", name, textError(err))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Text of %s (%d %s):\n", name, t.PageCount, plural(t.PageCount, "page", "pages"))
	for _, p := range t.Pages {
		fmt.Fprintf(&b, "--- Page %d ---\n", p.Number)
		switch {
		case p.Unreadable:
			b.WriteString("(this page could not be read)\n")
		case p.Text == "":
			b.WriteString("(no text on this page; it may be an image)\n")
		default:
			b.WriteString(p.Text)
		}
	}
	if t.Truncated {
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "[%s Open the file for the rest.]", t.Note)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func extractFile(ctx context.Context, path string) (*pdftext.Text, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return pdftext.Extract(ctx, f, st.Size(), pdftext.Options{})
}

// textError words an extraction failure for a model.
func textError(err error) string {
	switch {
	case errors.Is(err, pdftext.ErrEncrypted):
		return "it is encrypted"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("reading it took longer than %s", textTimeout)
	case errors.Is(err, context.Canceled):
		return "the call was cancelled"
	}
	return err.Error()
}
