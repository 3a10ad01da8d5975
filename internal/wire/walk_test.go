package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachMemberRefusesWhatIsNotAnObject(t *testing.T) {
	for _, bad := range []string{``, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `{a:1}`, `{"a" 1}`, `{"a":"x}`, `{"a":[1}`, `[]`, `{"a":1 "b":2}`} {
		err := EachMember([]byte(bad), func(_, _ []byte) error { return nil })
		assert.ErrorIs(t, err, ErrNotObject, bad)
	}
	var keys []string
	require.NoError(t, EachMember([]byte(` { "a" : [ {"x":"]"} ] , "b":"\"" , "c" : -1.5e3 } `), func(k, v []byte) error {
		keys = append(keys, string(k)+"="+string(v))
		return nil
	}))
	assert.Equal(t, []string{`"a"=[ {"x":"]"} ]`, `"b"="\""`, `"c"=-1.5e3`}, keys)
}
