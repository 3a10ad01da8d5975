package inventorum

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
)

// MaxCheckpointSkew is how far ahead of the local clock a checkpoint's
// time may be before Validate refuses it: a cursor in the future would
// skip every order filed until then.
const MaxCheckpointSkew = 24 * time.Hour

// Validate reports whether cp is safe to resume from: every channel is a
// documented one, each cursor's Versions is empty (a checkpoint stored
// before versions were kept) or as long as Seen, and no cursor's time lies
// more than MaxCheckpointSkew ahead of the local clock. The error matches
// orderkit.ErrInvalidArgument and names the field, such as
// `checkpoint channels["shop"].versions`. Sync and decoding from JSON
// check it too.
func (cp *DeltaCheckpoint) Validate() error {
	if cp == nil {
		return nil
	}
	chans := make([]Channel, 0, len(cp.Channels))
	for ch := range cp.Channels {
		chans = append(chans, ch)
	}
	slices.Sort(chans)
	limit := time.Now().Add(MaxCheckpointSkew)
	for _, ch := range chans {
		if !ch.Valid() {
			return pipeline.Invalid(apiName, "checkpoint channels[%q]: unknown channel", ch)
		}
		cur := cp.Channels[ch]
		if cur == nil {
			continue
		}
		if len(cur.Versions) != 0 && len(cur.Versions) != len(cur.Seen) {
			return pipeline.Invalid(apiName, "checkpoint channels[%q].versions: %d versions for %d seen", ch, len(cur.Versions), len(cur.Seen))
		}
		if cur.Time.After(limit) {
			return pipeline.Invalid(apiName, "checkpoint channels[%q].time: %s is in the future", ch, cur.Time.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// errNoChannels is the message for a stored checkpoint without a
// "channels" object: the file was emptied or rewritten by a tool (null,
// {}), and reading it as a fresh start would resync the whole feed.
const errNoChannels = `checkpoint holds no "channels" (null or {}): it was not written by SaveCheckpoint or MarshalJSON, which always write them; ` +
	`to sync from the beginning on purpose, delete the file (a missing file is a first run) or store {"channels": {}}`

// MarshalJSON writes the checkpoint as SaveCheckpoint stores it:
// "channels" always as an object ({} before the first run), and each
// cursor's versions as strings of digits (see DeltaCursor.MarshalJSON).
func (cp DeltaCheckpoint) MarshalJSON() ([]byte, error) {
	type plain DeltaCheckpoint
	p := plain(cp)
	if p.Channels == nil {
		p.Channels = map[Channel]*DeltaCursor{}
	}
	return json.Marshal(p)
}

// UnmarshalJSON decodes a stored checkpoint and checks it (see Validate).
// Versions stored as numbers by an earlier release still load. A
// checkpoint without a "channels" object (null, {}, "channels": null) is
// an error matching orderkit.ErrInvalidArgument that says how to start
// afresh on purpose: a checkpoint emptied by a tool must not silently
// resync the whole feed.
func (cp *DeltaCheckpoint) UnmarshalJSON(b []byte) error {
	type plain DeltaCheckpoint
	var p plain
	if t := bytes.TrimSpace(b); len(t) == 0 || string(t) == "null" {
		return pipeline.Invalid(apiName, errNoChannels)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.Channels == nil {
		return pipeline.Invalid(apiName, errNoChannels)
	}
	c := DeltaCheckpoint(p)
	if err := c.Validate(); err != nil {
		return err
	}
	*cp = c
	return nil
}

// cursorJSON is the stored form of a DeltaCursor.
type cursorJSON struct {
	Time     time.Time     `json:"time"`
	ID       ID            `json:"id"`
	Seen     []ID          `json:"seen"`
	Deferred bool          `json:"deferred,omitempty"`
	Versions []versionJSON `json:"versions,omitempty"`
}

// MarshalJSON writes the cursor with its versions as strings of digits:
// they are 64-bit digests, above 2^53, which tools that read JSON numbers
// as float64 (jq 1.6, JavaScript, Python's json with some settings) would
// round, and a rounded version delivers its order again. Ids stay
// numbers: the API sends them as numbers.
func (c DeltaCursor) MarshalJSON() ([]byte, error) {
	out := cursorJSON{Time: c.Time, ID: c.ID, Seen: c.Seen, Deferred: c.Deferred}
	if len(c.Versions) > 0 {
		out.Versions = make([]versionJSON, len(c.Versions))
		for i, v := range c.Versions {
			out.Versions[i] = versionJSON(v)
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a cursor with versions as strings or, as earlier
// releases stored them, as numbers.
func (c *DeltaCursor) UnmarshalJSON(b []byte) error {
	var in cursorJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*c = DeltaCursor{Time: in.Time, ID: in.ID, Seen: in.Seen, Deferred: in.Deferred}
	if in.Versions != nil {
		c.Versions = make([]uint64, len(in.Versions))
		for i, v := range in.Versions {
			c.Versions[i] = uint64(v)
		}
	}
	return nil
}

// versionJSON is one stored version: written as a string of digits, read
// from a string or a number. A number a tool rounded through float64
// (17293822569102705000 or 1.7293822569102705e+19) reads as the rounded
// value: the order is delivered again once, never skipped.
type versionJSON uint64

func (v versionJSON) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 22)
	b = append(b, '"')
	b = strconv.AppendUint(b, uint64(v), 10)
	return append(b, '"'), nil
}

func (v *versionJSON) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	digits := b
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		digits = b[1 : len(b)-1]
	}
	if n, err := strconv.ParseUint(string(digits), 10, 64); err == nil {
		*v = versionJSON(n)
		return nil
	}
	if len(digits) == len(b) {
		// A number in float notation, as a float64 tool writes it.
		f, err := strconv.ParseFloat(string(digits), 64)
		if err == nil && f >= 0 && f < 1<<64 && f == math.Trunc(f) {
			*v = versionJSON(f)
			return nil
		}
	}
	return fmt.Errorf("inventorum: checkpoint version %.40q is not an unsigned 64-bit number", b)
}

// SaveCheckpoint stores cp at path so that a crash at any moment leaves
// either the old checkpoint or the new one, whole: it writes a temporary
// file in the same directory, syncs it to disk, renames it over path and
// syncs the directory.
func SaveCheckpoint(path string, cp *DeltaCheckpoint) error {
	if cp == nil {
		return pipeline.Invalid(apiName, "no checkpoint to save")
	}
	if err := cp.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		done = true
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	done = true
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot sync a directory
// (and does not need to).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("inventorum: saving checkpoint: %w", err)
	}
	return nil
}

// LoadCheckpoint reads a checkpoint SaveCheckpoint stored at path. A
// missing file is the zero checkpoint (start from the beginning); a file
// that does not decode, fails Validate, or holds no "channels" (null, {},
// an empty file) is an error naming path: to start from the beginning on
// purpose, delete the file.
func LoadCheckpoint(path string) (DeltaCheckpoint, error) {
	var cp DeltaCheckpoint
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cp, nil
	}
	if err != nil {
		return cp, fmt.Errorf("inventorum: loading checkpoint: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return cp, fmt.Errorf("inventorum: checkpoint %s: %w", path, pipeline.Invalid(apiName, errNoChannels))
	}
	if err := json.Unmarshal(b, &cp); err != nil {
		return DeltaCheckpoint{}, fmt.Errorf("inventorum: checkpoint %s: %w", path, err)
	}
	return cp, nil
}
