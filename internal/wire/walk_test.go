package wire

import (
	"errors"
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

func TestEachMemberChecksValuesAndPassesFsError(t *testing.T) {
	for _, bad := range []string{`{"a":tru}`, `{"a":01}`, `{"a":"\x"}`, `{"a":[1,]}`} {
		err := EachMember([]byte(bad), func(_, _ []byte) error { return nil })
		assert.ErrorIs(t, err, ErrNotObject, bad)
	}
	stop := errors.New("stop")
	n := 0
	err := EachMember([]byte(`{"a":1,"b":2}`), func(_, _ []byte) error { n++; return stop })
	assert.Equal(t, stop, err)
	assert.Equal(t, 1, n)
	var keys []string
	require.NoError(t, EachMember([]byte(`{"\u0061":1}`), func(k, _ []byte) error { keys = append(keys, string(k)); return nil }))
	assert.Equal(t, []string{`"\u0061"`}, keys)
}

func TestPositionWalks(t *testing.T) {
	b := []byte(` {"a" : [1, {"x":"]"}], "\u0062":null} `)
	i := Space(b, 0)
	require.Equal(t, 1, i)
	end, err := Skip(b, i)
	require.NoError(t, err)
	assert.Equal(t, len(b)-1, end)

	var keys []string
	end, err = Members(b, i, func(key []byte, v int) (int, error) {
		keys = append(keys, string(key))
		if b[v] != '[' {
			return Skip(b, v)
		}
		n := 0
		e, err := Elements(b, v, func(v int) (int, error) { n++; return Skip(b, v) })
		assert.Equal(t, 2, n)
		return e, err
	})
	require.NoError(t, err)
	assert.Equal(t, len(b)-1, end)
	assert.Equal(t, []string{`"a"`, `"\u0062"`}, keys)

	// A callback's error comes back as it is; bad JSON or a callback that
	// hands back an index it did not reach is ErrSyntax.
	stop := errors.New("stop")
	_, err = Members(b, i, func([]byte, int) (int, error) { return 0, stop })
	assert.Equal(t, stop, err)
	_, err = Members(b, i, func(_ []byte, v int) (int, error) { return v - 1, nil })
	assert.ErrorIs(t, err, ErrSyntax)
	for _, bad := range []string{`{"a":1,}`, `[1 2]`, `{"a"}`, `tru`, `"\q"`, `[`} {
		_, err := Skip([]byte(bad), 0)
		assert.ErrorIs(t, err, ErrSyntax, bad)
	}
	_, err = Elements([]byte(`[1,]`), 0, func(v int) (int, error) { return Skip([]byte(`[1,]`), v) })
	assert.ErrorIs(t, err, ErrSyntax)
	_, err = Members([]byte(`[]`), 0, nil)
	assert.ErrorIs(t, err, ErrSyntax)
}
