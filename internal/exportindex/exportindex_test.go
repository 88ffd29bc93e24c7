package exportindex

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

func names(entries []Entry) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e.Name)
	}
	return out
}

func TestAddGivesUniqueNames(t *testing.T) {
	x := New(0)
	cases := []struct{ path, want string }{
		{"/out/Invoice.pdf", "Invoice.pdf"},
		{"/project/Invoice.pdf", "Invoice-2.pdf"},
		{"/other/Invoice.pdf", "Invoice-3.pdf"},
		{"/out/Invoice-2.pdf", "Invoice-2-2.pdf"}, // Invoice-2.pdf is taken by /project
		{"/out/README", "README"},
		{"/out/Invoice.pdf", "Invoice.pdf"}, // the same file again keeps its name
	}
	for _, c := range cases {
		if got := x.Add(Entry{Path: c.path, Owner: "a"}).Name; got != c.want {
			t.Errorf("Add(%s) named %q, want %q", c.path, got, c.want)
		}
	}
	want := []string{"Invoice.pdf", "README", "Invoice-2-2.pdf", "Invoice-3.pdf", "Invoice-2.pdf"}
	if got := names(x.List("a")); !reflect.DeepEqual(got, want) {
		t.Errorf("List = %q, want %q (newest first, one entry per path)", got, want)
	}
}

func TestOwnersSeeOnlyTheirOwn(t *testing.T) {
	x := New(0)
	x.Add(Entry{Path: "/out/a.pdf", Owner: "alice", Size: 10})
	x.Add(Entry{Path: "/out/b.pdf", Owner: "bob"})
	if e, ok := x.Get("alice", "a.pdf"); !ok || e.Path != "/out/a.pdf" || e.Size != 10 {
		t.Errorf("Get(alice, a.pdf) = %+v, %v", e, ok)
	}
	if e, ok := x.Get("bob", "a.pdf"); ok || e != (Entry{}) {
		t.Errorf("bob got alice's entry: %+v", e)
	}
	if _, ok := x.Get("", "a.pdf"); ok {
		t.Error("an unknown owner got alice's entry")
	}
	if _, ok := x.Get("alice", "missing.pdf"); ok {
		t.Error("Get of a missing name succeeded")
	}
	if got := names(x.List("bob")); !reflect.DeepEqual(got, []string{"b.pdf"}) {
		t.Errorf("List(bob) = %q", got)
	}
	if got := names(x.List("carol")); len(got) != 0 {
		t.Errorf("List(carol) = %q, want none", got)
	}
}

func TestBoundForgetsTheOldest(t *testing.T) {
	x := New(3)
	for i := 1; i <= 5; i++ {
		x.Add(Entry{Path: fmt.Sprintf("/out/%d.pdf", i)})
	}
	if got, want := names(x.List("")), []string{"5.pdf", "4.pdf", "3.pdf"}; !reflect.DeepEqual(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	if _, ok := x.Get("", "1.pdf"); ok {
		t.Error("the oldest entry is still there")
	}
	// A forgotten name is free again.
	if got := x.Add(Entry{Path: "/elsewhere/1.pdf"}).Name; got != "1.pdf" {
		t.Errorf("re-used name = %q", got)
	}
}

func TestConcurrentAdds(t *testing.T) {
	x := New(0)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { x.Add(Entry{Path: fmt.Sprintf("/dir%d/Invoice.pdf", i), Owner: "a"}) })
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, n := range names(x.List("a")) {
		if seen[n] {
			t.Fatalf("name %q given twice", n)
		}
		seen[n] = true
	}
	if len(seen) != 50 {
		t.Errorf("%d entries, want 50", len(seen))
	}
}
