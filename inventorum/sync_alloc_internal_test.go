package inventorum

import (
	"testing"
	"time"
)

// The walk's own cursor reuses the arrays of Seen and Versions when the
// time moves on; a caller's cursor gets new ones each time (see advance).
func TestAdvanceReusesOnlyWhenAsked(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for reuse, want := range map[bool]float64{false: 2, true: 0} {
		var c DeltaCursor
		o := &Order{}
		i := 0
		got := testing.AllocsPerRun(100, func() {
			i++
			o.ID, o.TimeAdded = ID(i), t0.Add(time.Duration(i)*time.Second)
			c.advance(o, reuse)
		})
		if got != want {
			t.Errorf("reuse=%v: %v allocations per new time, want %v", reuse, got, want)
		}
		if c.ID != ID(i) || len(c.Seen) != 1 || c.Seen[0] != ID(i) {
			t.Errorf("reuse=%v: cursor %+v after order %d", reuse, c, i)
		}
	}
}
