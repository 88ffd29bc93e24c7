package httpserver

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
)

// BenchmarkListReports measures list_reports over the network transports
// against the in-process sandbox, at 1, 8 and 64 concurrent clients (one
// session each): calls per second and p50/p99 latency. Numbers are in
// BENCHMARKS.md; nothing here is asserted.
//
//	go test -run '^$' -bench ListReports -benchtime 3000x ./internal/httpserver/
func BenchmarkListReports(b *testing.B) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		for _, n := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%s/clients=%d", transport, n), func(b *testing.B) {
				st := newStack(b)
				_, base := st.serve(b, Options{Transport: transport})
				clients := make([]*client.Client, n)
				for i := range clients {
					clients[i] = connect(b, base, transport, nil)
				}
				lat := make([]time.Duration, b.N)
				var next atomic.Int64
				var failed atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for _, c := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1) - 1
							if i >= int64(b.N) {
								return
							}
							t0 := time.Now()
							res, err := callErr(c, "list_reports", `{"limit":5}`)
							lat[i] = time.Since(t0)
							if err != nil || res.IsError {
								failed.Add(1)
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				if f := failed.Load(); f > 0 {
					b.Fatalf("%d of %d calls failed", f, b.N)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
				b.ReportMetric(ms(lat[len(lat)*50/100]), "p50_ms")
				b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99_ms")
			})
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
