package ordertest

import (
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
