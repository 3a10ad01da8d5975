package inventorum

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

// UnmarshalJSON decodes a stored checkpoint and checks it (see Validate).
func (cp *DeltaCheckpoint) UnmarshalJSON(b []byte) error {
	type plain DeltaCheckpoint
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	c := DeltaCheckpoint(p)
	if err := c.Validate(); err != nil {
		return err
	}
	*cp = c
	return nil
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
// that does not decode or fails Validate is an error naming path.
func LoadCheckpoint(path string) (DeltaCheckpoint, error) {
	var cp DeltaCheckpoint
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cp, nil
	}
	if err != nil {
		return cp, fmt.Errorf("inventorum: loading checkpoint: %w", err)
	}
	if err := json.Unmarshal(b, &cp); err != nil {
		return DeltaCheckpoint{}, fmt.Errorf("inventorum: checkpoint %s: %w", path, err)
	}
	return cp, nil
}
