package attivita

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClaimsKeepTheLatest(t *testing.T) {
	var c claims
	assert.False(t, c.taken("a"))
	c.claim("a")
	c.claim("a") // once
	c.claim("b")
	assert.True(t, c.taken("a"))
	for i := range claimsKept - 2 {
		c.claim(strconv.Itoa(i))
	}
	assert.True(t, c.taken("a"), "claimsKept are kept")
	c.claim("c")
	assert.False(t, c.taken("a"), "the oldest is forgotten")
	assert.True(t, c.taken("b"))
	assert.True(t, c.taken("c"))
	assert.True(t, c.taken(strconv.Itoa(claimsKept-3)))
}
