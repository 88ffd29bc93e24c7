// Package outfile writes downloaded documents into an output directory
// safely: under a sanitised name that cannot leave the directory, through a
// temporary file that becomes visible only when complete, and never over an
// existing file.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes caps the length of a file name, leaving room for a -NNN
// suffix within the 255-byte limit of common file systems.
const MaxNameBytes = 150

// tempPrefix marks files that are still being written.
const tempPrefix = ".cxreports-"

// SafeName turns a suggested file name (from a Content-Disposition header
// or a report name) into one that is safe on Linux, macOS and Windows and
// ends with ext (such as ".pdf"). It drops any directory part, control
// characters and characters Windows reserves, avoids reserved device names
// and dot files, and caps the length. An empty result becomes "report"+ext.
func SafeName(suggested, ext string) string {
	name := suggested
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			// Control and invisible format characters, such as the
			// right-to-left override that makes "x‮fdp.exe" look like
			// "xexe.pdf".
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(b.String(), " .")
	base := name
	if ext != "" && strings.EqualFold(filepath.Ext(name), ext) {
		base = strings.TrimRight(name[:len(name)-len(ext)], " .")
	}
	base = truncate(base, MaxNameBytes-len(ext))
	base = strings.Trim(base, " .")
	if base == "" {
		base = "report"
	}
	if reserved(base) {
		base = strings.TrimRight(truncate("_"+base, MaxNameBytes-len(ext)), " .")
	}
	return base + ext
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reserved reports whether base is a Windows device name, which cannot be
// used as a file name even with an extension.
func reserved(base string) bool {
	stem := strings.ToUpper(base)
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	stem = strings.TrimRight(stem, " ")
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	for _, dev := range []string{"COM", "LPT"} {
		if n, ok := strings.CutPrefix(stem, dev); ok && utf8.RuneCountInString(n) == 1 {
			return strings.ContainsAny(n, "0123456789¹²³")
		}
	}
	return false
}

// Save writes a new file in dir, creating dir when missing. write receives
// a buffered writer and returns the file's name, which Save passes through
// SafeName with ext. When write or anything else fails, nothing is left in
// dir. The file appears under its final name only once complete, and never
// replaces an existing file: a taken name gets a -2, -3, … suffix. Save
// returns the final path.
func Save(dir, ext string, write func(w io.Writer) (name string, err error)) (path string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create output directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+"*.part")
	if err != nil {
		return "", fmt.Errorf("create file in output directory: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	if err := tmp.Chmod(0o644); err != nil {
		return "", fmt.Errorf("create file in output directory: %w", err)
	}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	name, err := write(bw)
	if err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", fmt.Errorf("write file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write file: %w", err)
	}
	return publish(tmp.Name(), dir, SafeName(name, ext))
}

// publish gives the completed temporary file its final, unused name.
func publish(tmp, dir, name string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 10000; i++ {
		candidate := name
		if i > 1 {
			candidate = stem + "-" + strconv.Itoa(i) + ext
		}
		path := filepath.Join(dir, candidate)
		// A hard link fails when the name is taken, so an existing file
		// is never replaced, even by a concurrent export.
		err := os.Link(tmp, path)
		if err == nil {
			return path, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		// No hard links on this file system: claim the name with an
		// exclusive create, then move the content over our own claim.
		f, cerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(cerr, fs.ErrExist) {
			continue
		}
		if cerr != nil {
			return "", fmt.Errorf("save file: %w", cerr)
		}
		f.Close()
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(path)
			return "", fmt.Errorf("save file: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("save file: no free name for %q", name)
}
