package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

func TestRunTwiceOnTheFake(t *testing.T) {
	dir := t.TempDir()
	cp := filepath.Join(dir, "cp.json")
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-checkpoint", cp}, noEnv, &out, &errOut))
	assert.Contains(t, errOut.String(), "in-memory fake")

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// 30 generated orders, those in DRAFT or PENDING are not delivered.
	require.Len(t, lines, 22+1, out.String())
	line := regexp.MustCompile(`^\d+\s+(ipad|shop|ebay|ece|backoffice|atalanda|click_and_collect)\s+(completed|open|canceled|refunded)\s+[\d,]+\.\d\d$`)
	for _, l := range lines[:len(lines)-1] {
		assert.Regexp(t, line, l)
	}
	assert.Regexp(t, `^1001\s+ipad\s+completed\s+1\.99$`, lines[0])
	assert.Regexp(t, `^22 new or changed orders, gross [\d,]+\.\d\d; checkpoint .*cp\.json$`, lines[len(lines)-1])
	_, err := os.Stat(cp)
	require.NoError(t, err, "checkpoint created")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-checkpoint", cp}, noEnv, &out, &errOut))
	assert.Equal(t, "0 new or changed orders, gross 0.00; checkpoint "+cp+"\n", out.String())
}

func TestRunDefaultCheckpointInWorkingDir(t *testing.T) {
	t.Chdir(t.TempDir())
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), nil, noEnv, &out, &bytes.Buffer{}))
	_, err := os.Stat("inventorum-checkpoint.json")
	require.NoError(t, err)
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{not json"), 0o600))
	err := run(context.Background(), []string{"-checkpoint", bad}, noEnv, &bytes.Buffer{}, &bytes.Buffer{})
	require.ErrorContains(t, err, "bad.json")

	err = run(context.Background(), []string{"extra"}, noEnv, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)

	const token = "s3cret-access-token"
	env := map[string]string{"INVENTORUM_TOKEN": token, "INVENTORUM_BASE_URL": "http://inventorum.example.com/api"}
	var errOut bytes.Buffer
	err = run(context.Background(), []string{"-checkpoint", filepath.Join(dir, "x.json")}, func(k string) string { return env[k] }, &bytes.Buffer{}, &errOut)
	require.Error(t, err, "no token over plain http")
	assert.Contains(t, err.Error(), "plain http to inventorum.example.com")
	assert.NotContains(t, err.Error(), token)
	assert.NotContains(t, errOut.String(), token)
}

func TestRunStoppedHalfWayKeepsProgress(t *testing.T) {
	cp := filepath.Join(t.TempDir(), "cp.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelAfter{n: 5, cancel: cancel}
	err := run(ctx, []string{"-checkpoint", cp}, noEnv, w, &bytes.Buffer{})
	require.ErrorIs(t, err, context.Canceled)
	first := strings.Count(w.buf.String(), "\n")
	assert.Equal(t, 5+1, first, "five orders and the summary: %s", w.buf.String())

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-checkpoint", cp}, noEnv, &out, &bytes.Buffer{}))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// The orders printed before the stop are not printed again.
	assert.Equal(t, 22, first-1+len(lines)-1, "first run: %s\nsecond run: %s", w.buf.String(), out.String())
}

// cancelAfter cancels the run after n lines.
type cancelAfter struct {
	buf    bytes.Buffer
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if strings.Count(c.buf.String(), "\n") == c.n-1 {
		c.cancel()
	}
	return c.buf.Write(p)
}

// The checkpoint is written atomically (no temporary file left beside it)
// and checked when read: a cursor for an unknown channel is refused before
// any request, and the file is left as it was.
func TestRunCheckpointFileIsCheckedAndReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	cp := filepath.Join(dir, "cp.json")
	require.NoError(t, run(context.Background(), []string{"-checkpoint", cp}, noEnv, &bytes.Buffer{}, &bytes.Buffer{}))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the checkpoint itself")
	assert.Equal(t, "cp.json", entries[0].Name())
	b, err := os.ReadFile(cp)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"shop"`)

	bad := filepath.Join(dir, "bad-channel.json")
	body := []byte(`{"channels":{"amazon":{"time":"2024-03-01T10:00:00Z","id":1,"seen":[1]}}}`)
	require.NoError(t, os.WriteFile(bad, body, 0o600))
	var out bytes.Buffer
	err = run(context.Background(), []string{"-checkpoint", bad}, noEnv, &out, &bytes.Buffer{})
	require.ErrorContains(t, err, `channels["amazon"]`)
	assert.Empty(t, out.String(), "nothing synced")
	after, err := os.ReadFile(bad)
	require.NoError(t, err)
	assert.Equal(t, body, after)
}
