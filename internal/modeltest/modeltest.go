// Package modeltest holds what the clients' seeded model tests share: how
// many schedules a test runs per reading, and the table of outcomes it
// logs per reading. Test code only; no public package imports it.
package modeltest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Schedules returns how many schedules per reading a model test runs: n
// when a flag set it (n > 0), else race under the race detector, short
// with -short, else full.
func Schedules(n, full, short, race int) int {
	switch {
	case n > 0:
		return n
	case raceEnabled:
		return race
	case testing.Short():
		return short
	}
	return full
}

// Tally counts a model test's outcomes per reading, in named columns. Its
// methods may be called from parallel subtests.
type Tally struct {
	mu   sync.Mutex
	cols []string
	max  map[string]bool
	rows map[string][]int64
}

// NewTally returns a tally of the given columns. A column whose name ends
// in "+max" keeps the largest value added rather than the sum; it is shown
// without the suffix.
func NewTally(cols ...string) *Tally {
	t := &Tally{max: map[string]bool{}, rows: map[string][]int64{}}
	for _, c := range cols {
		if name, ok := strings.CutSuffix(c, "+max"); ok {
			c = name
			t.max[c] = true
		}
		t.cols = append(t.cols, c)
	}
	return t
}

// Add adds n to a reading's column (or raises it to n, for a max column).
// An unknown column panics: a typo must not count into nothing.
func (t *Tally) Add(reading, col string, n int64) {
	i := slices.Index(t.cols, col)
	if i < 0 {
		panic(fmt.Sprintf("modeltest: no column %q in %v", col, t.cols))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	row := t.rows[reading]
	if row == nil {
		row = make([]int64, len(t.cols))
		t.rows[reading] = row
	}
	if t.max[col] {
		row[i] = max(row[i], n)
	} else {
		row[i] += n
	}
}

// Get returns a reading's column; an unknown reading or column is 0.
func (t *Tally) Get(reading, col string) int64 {
	i := slices.Index(t.cols, col)
	t.mu.Lock()
	defer t.mu.Unlock()
	if row := t.rows[reading]; row != nil && i >= 0 {
		return row[i]
	}
	return 0
}

// Total returns a column over every reading: the sum, or the largest
// value for a max column.
func (t *Tally) Total(col string) int64 {
	i := slices.Index(t.cols, col)
	if i < 0 {
		panic(fmt.Sprintf("modeltest: no column %q in %v", col, t.cols))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var v int64
	for _, row := range t.rows {
		if t.max[col] {
			v = max(v, row[i])
		} else {
			v += row[i]
		}
	}
	return v
}

// Ratio is a computed column: the sum of the Num columns over the sum of
// the Den columns, as a percentage or, with Per, a plain ratio. A zero
// denominator shows 0.
type Ratio struct {
	Name     string
	Num, Den []string
	Per      bool
}

// String returns the table: a heading, a row per reading in name order,
// and a last row "all" over every reading.
func (t *Tally) String(ratios ...Ratio) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.rows))
	width := len("reading")
	for k := range t.rows {
		names = append(names, k)
		width = max(width, len(k))
	}
	slices.Sort(names)
	all := make([]int64, len(t.cols))
	for _, k := range names {
		for i, v := range t.rows[k] {
			if t.max[t.cols[i]] {
				all[i] = max(all[i], v)
			} else {
				all[i] += v
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", width, "reading")
	for _, c := range t.cols {
		fmt.Fprintf(&b, " %*s", max(len(c), 7), c)
	}
	for _, r := range ratios {
		fmt.Fprintf(&b, " %*s", max(len(r.Name), 8), r.Name)
	}
	b.WriteByte('\n')
	row := func(name string, vals []int64) {
		fmt.Fprintf(&b, "%-*s", width, name)
		for i, c := range t.cols {
			fmt.Fprintf(&b, " %*d", max(len(c), 7), vals[i])
		}
		for _, r := range ratios {
			num, den := t.sum(vals, r.Num), t.sum(vals, r.Den)
			v := 0.0
			if den != 0 {
				v = float64(num) / float64(den)
			}
			if r.Per {
				fmt.Fprintf(&b, " %*.2f", max(len(r.Name), 8), v)
			} else {
				fmt.Fprintf(&b, " %*.1f%%", max(len(r.Name), 8)-1, 100*v)
			}
		}
		b.WriteByte('\n')
	}
	for _, k := range names {
		row(k, t.rows[k])
	}
	row("all", all)
	return b.String()
}

func (t *Tally) sum(vals []int64, cols []string) int64 {
	var s int64
	for _, c := range cols {
		i := slices.Index(t.cols, c)
		if i < 0 {
			panic(fmt.Sprintf("modeltest: no column %q in %v", c, t.cols))
		}
		s += vals[i]
	}
	return s
}
