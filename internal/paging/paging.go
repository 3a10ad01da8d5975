// Package paging walks the pages of a list call as one lazy sequence, for
// every orderkit client's All iterators.
package paging

import (
	"errors"
	"iter"
)

// ErrStuck is yielded when the API answers the next page with the same
// cursor it was asked for, which would otherwise loop for ever.
var ErrStuck = errors.New("paging: the next page has the cursor of this one")

// Fetch reads the page at cursor and returns its items, the cursor of the
// next page and whether there is one.
type Fetch[T any, C comparable] func(cursor C) (items []T, next C, more bool, err error)

// Walk yields the items of every page, starting at start, reading a page
// only when the loop asks for more. The first error is yielded once and ends
// the walk; so does a loop that stops early, without reading another page.
func Walk[T any, C comparable](start C, fetch Fetch[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cur := start
		for {
			items, next, more, err := fetch(cur)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more {
				return
			}
			if next == cur {
				yield(zero, ErrStuck)
				return
			}
			cur = next
		}
	}
}

// One is the walk of an API that answers the whole list at once.
func One[T any](list func() ([]T, error)) iter.Seq2[T, error] {
	return Walk(0, func(int) ([]T, int, bool, error) {
		items, err := list()
		return items, 0, false, err
	})
}
