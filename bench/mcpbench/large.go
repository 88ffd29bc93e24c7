package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// large exports a large document through export_pdf and downloads the same
// URL with curl -o, alternately (who goes first alternates too), and
// reports the throughput of each, the CPU time each spent, and how much the
// server's peak RSS (VmHWM) grew from idle.
func (b *bench) large() error {
	cmd := exec.Command(b.o.bin)
	cmd.Env = b.serverEnv()
	s, _, err := spawn(cmd)
	if err != nil {
		return err
	}
	defer s.close()
	hwmBefore, err := procStatusKB(s.pid(), "VmHWM")
	if err != nil {
		return err
	}
	cpuBefore, err := procCPU(s.pid())
	if err != nil {
		return err
	}
	params := fmt.Sprintf(`{"sizeMB":%d}`, b.o.sizeMB)
	var ours, curl []float64 // MB/s
	var curlCPU time.Duration
	var size int64
	for i := 0; i < b.o.runs; i++ {
		for j := 0; j < 2; j++ {
			if (i+j)%2 == 0 {
				n, d, err := b.exportOnce(s, params)
				if err != nil {
					return err
				}
				size = n
				ours = append(ours, float64(n)/1e6/d.Seconds())
				continue
			}
			n, d, cpu, err := b.curlOnce(params)
			if err != nil {
				return err
			}
			if size != 0 && n != size {
				return fmt.Errorf("curl got %d bytes, the export %d", n, size)
			}
			curlCPU += cpu
			curl = append(curl, float64(n)/1e6/d.Seconds())
		}
	}
	hwmAfter, err := procStatusKB(s.pid(), "VmHWM")
	if err != nil {
		return err
	}
	cpuAfter, err := procCPU(s.pid())
	if err != nil {
		return err
	}
	slices.Sort(ours)
	slices.Sort(curl)
	om, cm := ours[len(ours)/2], curl[len(curl)/2]
	ob, cb := ours[len(ours)-1], curl[len(curl)-1]
	figure("large document, %.1f MB export (median of %d, best in brackets): export_pdf over stdio %.0f MB/s (%.0f) vs curl -o of the same URL %.0f MB/s (%.0f): ratio %.2f (%.2f); target ≥ 0.90: %s",
		float64(size)/1e6, len(ours), om, ob, cm, cb, om/cm, ob/cb, verdict(om/cm >= 0.9))
	runs := time.Duration(b.o.runs)
	oursCPU := (cpuAfter - cpuBefore) / runs
	figure("large document, CPU time per download (user + system): cxreports-mcp %.0f ms vs curl %.0f ms: ratio %.2f",
		ms(oursCPU), ms(curlCPU/runs), float64(oursCPU)/float64(curlCPU/runs))
	growth := float64(hwmAfter-hwmBefore) / 1024
	figure("large document, peak RSS growth (VmHWM after %d exports − at idle): %.1f MiB (%.1f → %.1f MiB); target < 32 MiB: %s",
		len(ours), growth, float64(hwmBefore)/1024, float64(hwmAfter)/1024, verdict(growth < 32))
	return nil
}

// exportOnce runs export_pdf of the large document, then deletes the file;
// it returns the file's size and the call's round trip.
func (b *bench) exportOnce(s *stdioServer, params string) (int64, time.Duration, error) {
	out := filepath.Join(b.o.tmp, "out")
	t0 := time.Now()
	if _, err := s.callTool("export_pdf", `{"report_type":"large-document","params":`+params+`}`); err != nil {
		return 0, 0, err
	}
	d := time.Since(t0)
	files, err := filepath.Glob(filepath.Join(out, "*.pdf"))
	if err != nil || len(files) != 1 {
		return 0, 0, fmt.Errorf("expected one exported PDF in %s, found %v", out, files)
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		return 0, 0, err
	}
	return fi.Size(), d, os.Remove(files[0])
}

// curlOnce downloads the large document with curl -o into the scratch
// folder, then deletes it. The time is curl's own time_total, so its
// start-up is not counted against it; cpu is curl's user + system time.
func (b *bench) curlOnce(params string) (n int64, d, cpu time.Duration, err error) {
	target := b.sandbox.url + "/api/v1/ws/demo/reports/large-document/pdf?params=" + url.QueryEscape(params)
	file := filepath.Join(b.o.tmp, "curl.pdf")
	c := exec.Command("curl", "-sS", "--fail", "-o", file, "-w", "%{time_total} %{size_download}",
		"-H", "Authorization: Bearer "+benchToken, target)
	res, err := c.Output()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("curl: %w", err)
	}
	f := strings.Fields(string(res))
	if len(f) != 2 {
		return 0, 0, 0, fmt.Errorf("curl printed %q", res)
	}
	secs, err1 := strconv.ParseFloat(f[0], 64)
	n, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || secs <= 0 {
		return 0, 0, 0, fmt.Errorf("curl printed %q", res)
	}
	cpu = c.ProcessState.UserTime() + c.ProcessState.SystemTime()
	return n, time.Duration(secs * float64(time.Second)), cpu, os.Remove(file)
}
