package paging

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkReadsPagesLazily(t *testing.T) {
	t.Parallel()
	pages := [][]int{{1, 2}, {3, 4}, {5}}
	var fetched []int
	seq := Walk(0, func(p int) ([]int, int, bool, error) {
		fetched = append(fetched, p)
		return pages[p], p + 1, p+1 < len(pages), nil
	})
	var got []int
	for v, err := range seq {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []int{0, 1, 2}, fetched)

	fetched = nil
	for v := range seq {
		if v == 2 {
			break
		}
	}
	assert.Equal(t, []int{0}, fetched, "stopping early reads no further page")
}

func TestWalkYieldsTheErrorOnce(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var n, errs int
	for v, err := range Walk(0, func(p int) ([]int, int, bool, error) {
		if p == 1 {
			return nil, 0, false, boom
		}
		return []int{7}, 1, true, nil
	}) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, boom)
			continue
		}
		n++
		assert.Equal(t, 7, v)
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, errs)
}

func TestWalkStopsWhenTheCursorDoesNotMove(t *testing.T) {
	t.Parallel()
	calls := 0
	var last error
	for _, err := range Walk("a", func(c string) ([]int, string, bool, error) {
		calls++
		return []int{1}, "a", true, nil
	}) {
		last = err
	}
	assert.ErrorIs(t, last, ErrStuck)
	assert.Equal(t, 1, calls)
}

func TestOne(t *testing.T) {
	t.Parallel()
	var got []string
	for v, err := range One(func() ([]string, error) { return []string{"x", "y"}, nil }) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []string{"x", "y"}, got)
	for _, err := range One(func() ([]string, error) { return nil, errors.New("down") }) {
		require.EqualError(t, err, "down")
	}
}
