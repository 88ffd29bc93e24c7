package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// stdioServer is an MCP server process spoken to over its stdin and stdout,
// one request at a time.
type stdioServer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	nextID int
}

// initializeRequest is the first message of every session (id 1).
const initializeRequest = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpbench","version":"1"}}}`

// spawn starts cmd and sends initialize; it returns the server and the time
// from just before the process was started to the initialize response.
func spawn(cmd *exec.Cmd) (*stdioServer, time.Duration, error) {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	s := &stdioServer{cmd: cmd, stdin: stdin, stdout: bufio.NewReaderSize(stdout, 1<<20), nextID: 2}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	if _, err := io.WriteString(stdin, initializeRequest+"\n"); err != nil {
		s.close()
		return nil, 0, fmt.Errorf("send initialize: %w", err)
	}
	line, err := s.readResponse(1)
	elapsed := time.Since(start)
	if err != nil {
		s.close()
		return nil, 0, fmt.Errorf("initialize: %w", err)
	}
	if !bytes.Contains(line, []byte(`"protocolVersion"`)) {
		s.close()
		return nil, 0, fmt.Errorf("initialize failed: %s", clip(line))
	}
	if _, err := io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"); err != nil {
		s.close()
		return nil, 0, fmt.Errorf("send initialized: %w", err)
	}
	return s, elapsed, nil
}

// request sends one request and returns its response line.
func (s *stdioServer) request(method, params string) ([]byte, error) {
	id := s.nextID
	s.nextID++
	msg := `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"` + method + `","params":` + params + "}\n"
	if _, err := io.WriteString(s.stdin, msg); err != nil {
		return nil, fmt.Errorf("send %s: %w", method, err)
	}
	return s.readResponse(id)
}

// callTool calls a tool and returns the response line; a tool error is an
// error here.
func (s *stdioServer) callTool(name, args string) ([]byte, error) {
	line, err := s.request("tools/call", `{"name":"`+name+`","arguments":`+args+`}`)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(line, []byte(`"isError":true`)) || bytes.Contains(line, []byte(`"error":{`)) {
		return nil, fmt.Errorf("%s failed: %s", name, clip(line))
	}
	return line, nil
}

// readResponse reads lines until the response to id, skipping
// notifications.
func (s *stdioServer) readResponse(id int) ([]byte, error) {
	want := []byte(`"id":` + strconv.Itoa(id) + `,`)
	wantLast := []byte(`"id":` + strconv.Itoa(id) + `}`)
	for {
		line, err := s.stdout.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("read stdout: %w", err)
		}
		if bytes.Contains(line, want) || bytes.Contains(line, wantLast) {
			return line, nil
		}
	}
}

// pid is the server's process id.
func (s *stdioServer) pid() int { return s.cmd.Process.Pid }

// close ends the session by closing stdin and waits for the process, which
// is killed if it has not exited within two seconds.
func (s *stdioServer) close() {
	s.stdin.Close()
	done := make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// procStatusKB reads a field such as VmRSS or VmHWM of /proc/PID/status, in
// KiB.
func procStatusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// sandboxProcess is the standalone sandbox (`cxreports-mcp sandbox`).
type sandboxProcess struct {
	cmd *exec.Cmd
	url string
}

// startSandbox runs the sandbox on a free loopback port and waits until it
// accepts connections.
func startSandbox(bin, token string) (*sandboxProcess, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "sandbox", "--addr", addr, "--token", token, "--log-level", "warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	sb := &sandboxProcess{cmd: cmd, url: "http://" + addr}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return sb, nil
		}
		time.Sleep(10 * time.Millisecond) // another process is starting to listen; nothing to wait on
	}
	sb.stop()
	return nil, errors.New("the sandbox did not start listening within 10s")
}

func (sb *sandboxProcess) stop() {
	sb.cmd.Process.Kill()
	sb.cmd.Wait()
}

// clip shortens a message for an error text.
func clip(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// decodeResult unmarshals the result member of a response line.
func decodeResult(line []byte, v any) error {
	var resp struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return err
	}
	if resp.Result == nil {
		return fmt.Errorf("no result: %s", clip(line))
	}
	return json.Unmarshal(resp.Result, v)
}

// procCPU is the CPU time (user + system) a process has used so far, from
// /proc/PID/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14, stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}
