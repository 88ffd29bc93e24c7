package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"time"
)

// listReportsPath is the request list_reports {} makes: the default page
// of 20 and one more to learn whether another page follows.
const listReportsPath = "/api/v1/ws/demo/reports?limit=21"

// overhead alternates list_reports through the MCP server over stdio with
// the same HTTP request sent straight to the sandbox by Go's net/http client
// (keep-alive, like the server's own client), and reports the time the
// server adds at the median and the 99th percentile.
func (b *bench) overhead() error {
	cmd := exec.Command(b.o.bin)
	cmd.Env = b.serverEnv()
	s, _, err := spawn(cmd)
	if err != nil {
		return err
	}
	defer s.close()
	client := &http.Client{Timeout: 30 * time.Second}
	direct := func() error {
		req, err := http.NewRequest("GET", b.sandbox.url+listReportsPath, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("direct request: status %s", resp.Status)
		}
		return nil
	}
	viaMCP := func() error {
		_, err := s.callTool("list_reports", `{}`)
		return err
	}
	warm := b.o.calls / 10
	var mcpT, directT []time.Duration
	var cpu0 time.Duration
	for i := -warm; i < b.o.calls; i++ {
		if i == 0 {
			if cpu0, err = procCPU(s.pid()); err != nil {
				return err
			}
		}
		t0 := time.Now()
		if err := viaMCP(); err != nil {
			return err
		}
		t1 := time.Now()
		if err := direct(); err != nil {
			return err
		}
		t2 := time.Now()
		if i >= 0 {
			mcpT = append(mcpT, t1.Sub(t0))
			directT = append(directT, t2.Sub(t1))
		}
	}
	cpu1, err := procCPU(s.pid())
	if err != nil {
		return err
	}
	for _, q := range []struct {
		name   string
		q      float64
		target time.Duration
	}{{"median", 0.5, 300 * time.Microsecond}, {"p99", 0.99, 2 * time.Millisecond}} {
		m, d := quantile(mcpT, q.q), quantile(directT, q.q)
		added := m - d
		figure("overhead per call, %s of %d: list_reports over stdio %.3f ms vs the same GET straight to the sandbox (Go net/http) %.3f ms: ratio %.2f, added %.3f ms; target added < %.1f ms: %s",
			q.name, len(mcpT), ms(m), ms(d), float64(m)/float64(d), ms(added), ms(q.target), verdict(added < q.target))
	}
	figure("overhead per call, CPU time of the server process (user + system, all threads) per list_reports call: %.0f µs",
		float64((cpu1-cpu0)/time.Duration(len(mcpT)))/float64(time.Microsecond))
	return nil
}
