package modeltest

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSchedules(t *testing.T) {
	assert.Equal(t, 7, Schedules(7, 100, 10, 3), "a flag's value wins")
	want := 100
	switch {
	case raceEnabled:
		want = 3
	case testing.Short():
		want = 10
	}
	assert.Equal(t, want, Schedules(0, 100, 10, 3))
}

func TestTally(t *testing.T) {
	tl := NewTally("runs", "created", "ambiguous", "requests+max")
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := []string{"b-reading", "a"}[i%2]
			tl.Add(r, "runs", 1)
			if i%4 < 2 {
				tl.Add(r, "created", 1)
			} else {
				tl.Add(r, "ambiguous", 1)
			}
			tl.Add(r, "requests", int64(i))
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 50, tl.Get("a", "runs"))
	assert.EqualValues(t, 25, tl.Get("a", "created"))
	assert.EqualValues(t, 98, tl.Get("b-reading", "requests"), "a max column keeps the largest")
	assert.EqualValues(t, 0, tl.Get("c", "runs"))
	assert.EqualValues(t, 100, tl.Total("runs"))
	assert.EqualValues(t, 99, tl.Total("requests"))

	got := tl.String(Ratio{Name: "resolved", Num: []string{"created"}, Den: []string{"runs"}},
		Ratio{Name: "per", Num: []string{"created", "ambiguous"}, Den: []string{"runs"}, Per: true})
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if assert.Len(t, lines, 4, got) {
		assert.Equal(t, []string{"reading", "runs", "created", "ambiguous", "requests", "resolved", "per"}, strings.Fields(lines[0]))
		assert.Equal(t, []string{"a", "50", "25", "25", "99", "50.0%", "1.00"}, strings.Fields(lines[1]))
		assert.Equal(t, []string{"b-reading", "50", "25", "25", "98", "50.0%", "1.00"}, strings.Fields(lines[2]))
		assert.Equal(t, []string{"all", "100", "50", "50", "99", "50.0%", "1.00"}, strings.Fields(lines[3]))
	}
	assert.Panics(t, func() { tl.Add("a", "lost", 1) })
	assert.Contains(t, NewTally("x").String(Ratio{Name: "r", Num: []string{"x"}, Den: []string{"x"}}), "0.0%", "a zero denominator shows 0")
}
