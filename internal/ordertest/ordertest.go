// Package ordertest holds what the tests of the four Common conversions
// share: an expected figure and the checks of an order's figures against a
// table of them, by path. Test code only; no public package imports it.
package ordertest

import (
	"errors"
	"reflect"
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

// AssertReconciled checks what Common returned against whether the order
// should fail to reconcile: with wantDiff, err must match
// orderkit.ErrNotReconciled and be a *orderkit.ReconciliationError whose
// Differences, not empty, are the order's; without, err must be nil and
// the order must have no differences.
func AssertReconciled(t T, c *orderkit.Order, err error, wantDiff bool) {
	t.Helper()
	if !wantDiff {
		if err != nil {
			t.Errorf("Common: %v, want no error", err)
		}
		if d := c.Differences(); len(d) != 0 {
			t.Errorf("no error, but differences %v", d)
		}
		return
	}
	var re *orderkit.ReconciliationError
	switch {
	case err == nil:
		t.Errorf("Common: no error, want one matching ErrNotReconciled")
	case !errors.Is(err, orderkit.ErrNotReconciled):
		t.Errorf("Common: %v does not match ErrNotReconciled", err)
	case !errors.As(err, &re):
		t.Errorf("Common: %v is not a *ReconciliationError", err)
	case len(re.Differences) == 0:
		t.Errorf("Common: %v lists no differences", err)
	case !reflect.DeepEqual(re.Differences, c.Differences()):
		t.Errorf("the error's differences %v are not the order's %v", re.Differences, c.Differences())
	}
}

// AssertChecks checks the order's checks, as their strings, and its count
// of notes.
func AssertChecks(t T, c *orderkit.Order, want []string, notes int) {
	t.Helper()
	var got []string
	for _, ch := range c.Checks {
		got = append(got, ch.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("checks:\n got %q\nwant %q", got, want)
	}
	if len(c.Notes) != notes {
		t.Errorf("%d notes %q, want %d", len(c.Notes), c.Notes, notes)
	}
}
