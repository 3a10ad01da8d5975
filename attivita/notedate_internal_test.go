package attivita

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func answerDated(date string) *pipeline.Response {
	return &pipeline.Response{StatusCode: 200, Header: http.Header{"Date": {date}}}
}

// noteDate keeps the parse of a repeated Date but still measures the skew
// against the clock at each answer, follows a new Date, and ignores an
// unreadable one.
func TestNoteDateFollowsTheDateHeader(t *testing.T) {
	c := &Client{}
	ahead := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	c.noteDate(answerDated(ahead.Format(http.TimeFormat)), nil)
	first, ok := c.seenSkew()
	require.True(t, ok)
	assert.InDelta(t, float64(time.Hour), float64(first), float64(2*time.Second))

	c.noteDate(answerDated(ahead.Format(http.TimeFormat)), nil)
	again, ok := c.seenSkew()
	require.True(t, ok)
	assert.Less(t, again, first, "the repeated Date is measured against the clock again, which moved on")

	behind := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	c.noteDate(answerDated(behind.Format(http.TimeFormat)), nil)
	now, ok := c.seenSkew()
	require.True(t, ok)
	assert.InDelta(t, float64(-time.Hour), float64(now), float64(2*time.Second), "a new Date is parsed")

	c.noteDate(answerDated("not a date"), nil)
	c.noteDate(answerDated("not a date"), nil)
	kept, _ := c.seenSkew()
	assert.Equal(t, now, kept, "an unreadable Date leaves the skew as it was")

	fresh := &Client{}
	fresh.noteDate(answerDated("not a date"), nil)
	_, ok = fresh.seenSkew()
	assert.False(t, ok, "a remembered unreadable Date is no skew")
}

// Several goroutines note dates at once (go test -race).
func TestNoteDateConcurrent(t *testing.T) {
	c := &Client{}
	base := time.Now().UTC().Truncate(time.Second)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.noteDate(answerDated(base.Add(time.Duration(i%3)*time.Second).Format(http.TimeFormat)), nil)
			}
		}()
	}
	wg.Wait()
	_, ok := c.seenSkew()
	assert.True(t, ok)
}
