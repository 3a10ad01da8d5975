// Package ordertest holds what the tests of the four Common conversions
// share: an expected figure and the checks of an order's figures against a
// table of them, by path. Test code only; no public package imports it.
package ordertest

import (
	"strings"

	"github.com/orderkit/orderkit"
)

// T is what the checks need of a *testing.T.
type T interface {
	Helper()
	Errorf(format string, args ...any)
}

// Fig is an expected figure: its exact amount ("" for absent), its source
// and the vendor field or rule it names (a prefix of Figure.From).
type Fig struct {
	Amount string
	Src    orderkit.Source
	From   string
}

// Absent is the figure the vendor does not send and no rule gives.
var Absent = Fig{Src: orderkit.Absent}

// Given is a figure the vendor sends in field.
func Given(amount, field string) Fig { return Fig{amount, orderkit.Given, field} }

// Derived is a figure worked out by rule.
func Derived(amount, rule string) Fig { return Fig{amount, orderkit.Derived, rule} }

// AssertFig checks one figure: source, exact amount, and where it comes
// from.
func AssertFig(t T, name string, got orderkit.Figure, want Fig) {
	t.Helper()
	if got.Source != want.Src {
		t.Errorf("%s: source %v, want %v", name, got.Source, want.Src)
	}
	if got.String() != want.Amount {
		t.Errorf("%s: amount %q, want %q", name, got.String(), want.Amount)
	}
	if !strings.HasPrefix(got.From, want.From) {
		t.Errorf("%s: from %q, want prefix %q", name, got.From, want.From)
	}
}

// AssertFigures checks every figure of the order against want, by path:
// one not in want must be absent, and every path in want must exist.
func AssertFigures(t T, c *orderkit.Order, want map[string]Fig) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range c.Figures() {
		w, ok := want[f.Path]
		if !ok {
			w = Absent
		}
		AssertFig(t, f.Path, f.Figure, w)
		seen[f.Path] = true
	}
	for p := range want {
		if !seen[p] {
			t.Errorf("%s: no such figure", p)
		}
	}
}
