package sandbox

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A nonce minted by one sandbox opens the preview on a second one started
// with the same options, as after a restart of --demo; it is single-use
// within each, expires, and cannot be forged or moved to another token.
func TestSignedNoncesSurviveARestart(t *testing.T) {
	opts := Options{Token: "demo-token", SignedNonces: true}
	first := newHarness(t, opts)
	second := newHarness(t, opts)
	second.clock.Advance(time.Minute) // the restart took a minute

	nonce := newNonce(t, first, "demo-token")
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{44}$`).MatchString(nonce) {
		t.Fatalf("nonce %q", nonce)
	}
	if other := newNonce(t, first, "demo-token"); other == nonce {
		t.Fatal("nonce repeated")
	}
	path := "/ws/demo/reports/1628/preview?" + url.Values{"nonce": {nonce}}.Encode()
	r := fetch(t, browser(t), second.ts.URL+path)
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), "<title>Bank Account Statement</title>") {
		t.Fatalf("preview on the second sandbox: %s", r.body)
	}
	// Single-use within the second sandbox.
	r = fetch(t, browser(t), second.ts.URL+path)
	expectStatus(t, r, 401)
	if !strings.Contains(string(r.body), "This preview link has already been used or has expired. Ask for a new link.") {
		t.Fatalf("reused nonce: %s", r.body)
	}

	// The limited user's nonce keeps its user: workspace 1 is forbidden.
	limited := newNonce(t, first, DefaultLimitedToken)
	expectStatus(t, fetch(t, browser(t), second.ts.URL+"/ws/demo/reports/1628/preview?nonce="+limited), 403)
	limited = newNonce(t, first, DefaultLimitedToken)
	expectStatus(t, fetch(t, browser(t), second.ts.URL+"/ws/finance/reports/162/preview?nonce="+limited), 200)

	// Expired after NonceTTL (5 minutes from minting).
	late := newNonce(t, first, "demo-token")
	second.clock.Advance(4 * time.Minute)
	expectStatus(t, fetch(t, browser(t), second.ts.URL+"/ws/1/reports/1628/preview?nonce="+late), 401)

	// A sandbox with another token rejects it; so does a tampered nonce.
	other := newHarness(t, Options{Token: "other-token", SignedNonces: true})
	first.clock.Advance(4 * time.Minute)
	fresh := newNonce(t, first, "demo-token")
	expectStatus(t, fetch(t, browser(t), other.ts.URL+"/ws/1/reports/1628/preview?nonce="+fresh), 401)
	tampered := []byte(fresh)
	tampered[3] = map[bool]byte{true: 'B', false: 'A'}[tampered[3] == 'A']
	expectStatus(t, fetch(t, browser(t), second.ts.URL+"/ws/1/reports/1628/preview?nonce="+string(tampered)), 401)
	expectStatus(t, fetch(t, browser(t), second.ts.URL+"/ws/1/reports/1628/preview?nonce="+fresh), 200)

	// Without SignedNonces, a nonce lives only in the sandbox that made it.
	plainA := newHarness(t, Options{Token: "demo-token"})
	plainB := newHarness(t, Options{Token: "demo-token"})
	expectStatus(t, fetch(t, browser(t), plainB.ts.URL+"/ws/1/reports/1628/preview?nonce="+newNonce(t, plainA, "demo-token")), 401)
}
