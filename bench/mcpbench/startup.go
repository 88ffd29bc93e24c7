package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// startup spawns cxreports-mcp and server-everything alternately and times
// each from spawn to the initialize response over stdio; it also reads
// each server's RSS right after initialize.
func (b *bench) startup() error {
	ours := func() *exec.Cmd {
		cmd := exec.Command(b.o.bin)
		cmd.Env = b.serverEnv()
		return cmd
	}
	var peer func() *exec.Cmd
	if b.o.everything != "" {
		peer = func() *exec.Cmd {
			cmd := exec.Command(b.o.node, b.o.everything, "stdio")
			cmd.Env = os.Environ()
			cmd.Dir = b.o.tmp
			return cmd
		}
	}
	var oursT, peerT, oursCPU, peerCPU []time.Duration
	var oursRSS, peerRSS int64
	// One warm-up spawn each (page cache), then alternate.
	for i := -1; i < b.o.starts; i++ {
		d, cpu, rss, err := timeStart(ours())
		if err != nil {
			return fmt.Errorf("cxreports-mcp: %w", err)
		}
		if i >= 0 {
			oursT = append(oursT, d)
			oursCPU = append(oursCPU, cpu)
			oursRSS = rss
		}
		if peer == nil {
			continue
		}
		d, cpu, rss, err = timeStart(peer())
		if err != nil {
			return fmt.Errorf("server-everything: %w", err)
		}
		if i >= 0 {
			peerT = append(peerT, d)
			peerCPU = append(peerCPU, cpu)
			peerRSS = rss
		}
	}
	med := quantile(oursT, 0.5)
	line := fmt.Sprintf("start-up, spawn → initialize response over stdio (median of %d): cxreports-mcp %.1f ms (min %.1f)",
		len(oursT), ms(med), ms(quantile(oursT, 0)))
	if peer == nil {
		figure("%s; target < 15 ms: %s", line, verdict(med < 15*time.Millisecond))
	} else {
		pm := quantile(peerT, 0.5)
		ratio := float64(med) / float64(pm)
		figure("%s vs server-everything %s %.1f ms (min %.1f): ratio %.3f; target < 15 ms and ≤ 0.1: %s",
			line, b.o.everyVer, ms(pm), ms(quantile(peerT, 0)), ratio, verdict(med < 15*time.Millisecond && ratio <= 0.1))
	}
	line = fmt.Sprintf("start-up, CPU time of a whole run (spawn, initialize, exit on end of input; user + system, median): cxreports-mcp %.1f ms", ms(quantile(oursCPU, 0.5)))
	if peer == nil {
		figure("%s", line)
	} else {
		pc := quantile(peerCPU, 0.5)
		figure("%s vs server-everything %.1f ms: ratio %.3f", line, ms(pc), float64(quantile(oursCPU, 0.5))/float64(pc))
	}
	line = fmt.Sprintf("RSS at idle, after initialize (VmRSS): cxreports-mcp %.1f MiB", float64(oursRSS)/1024)
	if peer == nil {
		figure("%s", line)
	} else {
		figure("%s vs server-everything %.1f MiB: ratio %.2f", line, float64(peerRSS)/1024, float64(oursRSS)/float64(peerRSS))
	}
	return nil
}

// timeStart spawns cmd, times the initialize round trip, reads VmRSS and
// ends the process; cpu is the CPU time of the process's whole life.
func timeStart(cmd *exec.Cmd) (d, cpu time.Duration, rssKB int64, err error) {
	s, d, err := spawn(cmd)
	if err != nil {
		return 0, 0, 0, err
	}
	rssKB, err = procStatusKB(s.pid(), "VmRSS")
	s.close()
	if err != nil {
		return 0, 0, 0, err
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rssKB, nil
}
