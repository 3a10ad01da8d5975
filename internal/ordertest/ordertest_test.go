package ordertest

import (
	"errors"
	"testing"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// The checks fail where a figure differs: a test of theirs that could not
// fail would let every Common test pass.
func TestAssertFiguresFailsOnADifference(t *testing.T) {
	o := &orderkit.Order{}
	o.Totals.Gross = orderkit.GivenFigure(money.MustParse("10"), "total")
	for name, want := range map[string]map[string]Fig{
		"amount":   {"totals.gross": Given("11", "total")},
		"source":   {"totals.gross": Derived("10", "total")},
		"from":     {"totals.gross": Given("10", "grand")},
		"missing":  {"totals.nope": Given("1", "x")},
		"unlisted": {},
	} {
		ft := &recorder{}
		AssertFigures(ft, o, want)
		if !ft.failed {
			t.Errorf("%s: a wrong table passed", name)
		}
	}
	ok := &recorder{}
	AssertFigures(ok, o, map[string]Fig{"totals.gross": Given("10", "total")})
	if ok.failed {
		t.Error("the right table failed")
	}
}

type recorder struct{ failed bool }

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

func TestAssertReconciledAndChecksFail(t *testing.T) {
	o := &orderkit.Order{}
	o.Totals.Gross = orderkit.GivenFigure(money.MustParse("10"), "total")
	o.Totals.Paid = orderkit.GivenFigure(money.MustParse("9"), "paid")
	recErr := o.Reconcile()
	if recErr == nil || len(o.Differences()) == 0 {
		t.Fatalf("the order should not reconcile: %v", recErr)
	}
	clean := &orderkit.Order{}
	for name, c := range map[string]struct {
		o        *orderkit.Order
		err      error
		wantDiff bool
	}{
		"difference without error": {o, nil, false},
		"error, none wanted":       {clean, recErr, false},
		"no error, one wanted":     {clean, nil, true},
		"another error":            {o, errors.New("x"), true},
		"other differences":        {o, &orderkit.ReconciliationError{Differences: []orderkit.Check{{Name: "other"}}}, true},
	} {
		r := &recorder{}
		AssertReconciled(r, c.o, c.err, c.wantDiff)
		if !r.failed {
			t.Errorf("%s: passed", name)
		}
	}
	r := &recorder{}
	AssertReconciled(r, o, recErr, true)
	AssertReconciled(r, clean, nil, false)
	if r.failed {
		t.Error("the right cases failed")
	}

	checks := []string{}
	for _, ch := range o.Checks {
		checks = append(checks, ch.String())
	}
	for name, c := range map[string]struct {
		checks []string
		notes  int
	}{"checks": {append(checks, "x"), len(o.Notes)}, "notes": {checks, len(o.Notes) + 1}} {
		r := &recorder{}
		AssertChecks(r, o, c.checks, c.notes)
		if !r.failed {
			t.Errorf("%s: passed", name)
		}
	}
}
