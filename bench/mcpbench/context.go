package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
)

// context reports what tools/list costs a model per toolset, as JSON
// characters / 4 of the tools as sent, and the size of a typical result.
func (b *bench) context() error {
	for _, c := range []struct {
		label string
		args  []string
	}{
		{"core (default)", nil},
		{"exports", []string{"--toolsets", "exports"}},
		{"jobs", []string{"--toolsets", "jobs"}},
		{"all", []string{"--toolsets", "all"}},
		{"all + delivery", []string{"--toolsets", "all", "--enable-delivery"}},
		{"core --read-only", []string{"--read-only"}},
		{"all --read-only", []string{"--toolsets", "all", "--read-only"}},
	} {
		cmd := exec.Command(b.o.bin, c.args...)
		cmd.Env = b.serverEnv()
		s, _, err := spawn(cmd)
		if err != nil {
			return err
		}
		line, err := s.request("tools/list", "{}")
		s.close()
		if err != nil {
			return err
		}
		var res struct {
			Tools []json.RawMessage `json:"tools"`
		}
		if err := decodeResult(line, &res); err != nil {
			return err
		}
		n := 2 // the array's brackets
		for i, t := range res.Tools {
			n += len(t)
			if i > 0 {
				n++
			}
		}
		note := ""
		if c.args == nil {
			note = fmt.Sprintf("; budget 2,500: %s", verdict(n/4 <= 2500))
		}
		noun := "tools"
		if len(res.Tools) == 1 {
			noun = "tool"
		}
		figure("context cost, tools/list of toolset %s: %d %s, %d JSON characters, ~%d tokens%s", c.label, len(res.Tools), noun, n, n/4, note)
	}

	cmd := exec.Command(b.o.bin)
	cmd.Env = b.serverEnv()
	s, _, err := spawn(cmd)
	if err != nil {
		return err
	}
	defer s.close()
	line, err := s.callTool("list_reports", "{}")
	if err != nil {
		return err
	}
	var res struct {
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		Structured json.RawMessage `json:"structuredContent"`
	}
	if err := decodeResult(line, &res); err != nil {
		return err
	}
	var resp struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return err
	}
	text := 0
	for _, c := range res.Content {
		text += len(c.Text)
	}
	figure("context cost, a typical result (list_reports {}, default page): result %d JSON characters, ~%d tokens (text %d characters ~%d tokens, structuredContent %d characters ~%d tokens)",
		len(resp.Result), len(resp.Result)/4, text, text/4, len(res.Structured), len(res.Structured)/4)
	return nil
}

// size reports the binary's size.
func (b *bench) size() error {
	fi, err := os.Stat(b.o.bin)
	if err != nil {
		return err
	}
	figure("binary size: %.1f MiB (%d bytes)", float64(fi.Size())/(1<<20), fi.Size())
	return nil
}
