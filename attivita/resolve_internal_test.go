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

func TestClaimsFoundForALostCall(t *testing.T) {
	var c claims
	c.foundFor("o1", "lost-a")
	assert.False(t, c.taken("o1"), "found by Resolve: not a create's own")
	assert.False(t, c.contested("o1", "lost-a"), "the same lost call finds it again")
	assert.True(t, c.contested("o1", "lost-b"))
	c.foundFor("o1", "lost-b")
	assert.True(t, c.contested("o1", "lost-b"), "the first finder keeps it")
	c.claim("o1")
	assert.True(t, c.taken("o1"), "a create's own answer wins")
	assert.False(t, c.contested("o1", "lost-b"))
	c.claim("o2")
	c.foundFor("o2", "lost-a")
	assert.True(t, c.taken("o2"), "a create's own stays its own")
}
