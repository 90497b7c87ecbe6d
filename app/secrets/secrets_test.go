package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/zalando/go-keyring"
)

const testSecret = "refresh-token-SHOULD-NOT-LEAK"

// stores returns a fresh store of each kind, the keychain one backed by go-keyring's mock.
func stores(t *testing.T) map[string]Store {
	keyring.MockInit()
	return map[string]Store{
		"keychain": NewKeychain("dealbooks-test", time.Minute),
		"file":     NewFile(filepath.Join(t.TempDir(), "data")),
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Get(ctx, "quickbooks.token"); !errors.Is(err, ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Get of a missing key = %v, want ErrNotFound matching fs.ErrNotExist", err)
			}
			if err := s.Set(ctx, "quickbooks.token", testSecret); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if err := s.Set(ctx, "pipedrive.token", "other"); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got, err := s.Get(ctx, "quickbooks.token"); err != nil || got != testSecret {
				t.Fatalf("Get = %q, %v", got, err)
			}
			if err := s.Delete(ctx, "quickbooks.token"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if err := s.Delete(ctx, "quickbooks.token"); err != nil {
				t.Fatalf("Delete of a missing key: %v", err)
			}
			if _, err := s.Get(ctx, "quickbooks.token"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get after Delete = %v", err)
			}
			if got, err := s.Get(ctx, "pipedrive.token"); err != nil || got != "other" {
				t.Fatalf("the other key: %q, %v", got, err)
			}
		})
	}
}

// hangingRing is a keychain that never answers until the test ends, like a locked Secret
// Service waiting on a prompt nobody sees.
type hangingRing struct{ release chan struct{} }

func newHangingRing(t *testing.T) hangingRing {
	r := hangingRing{release: make(chan struct{})}
	t.Cleanup(func() { close(r.release) })
	return r
}

func (r hangingRing) Get(string, string) (string, error) { <-r.release; return "", nil }
func (r hangingRing) Set(string, string, string) error   { <-r.release; return nil }
func (r hangingRing) Delete(string, string) error        { <-r.release; return nil }

func TestKeychainCallsTimeOut(t *testing.T) {
	kc := &KeychainStore{service: "dealbooks-test", timeout: time.Millisecond, ring: newHangingRing(t)}
	ctx := context.Background()
	if _, err := kc.Get(ctx, "quickbooks.token"); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Get = %v, want a timeout", err)
	}
	err := kc.Set(ctx, "quickbooks.token", testSecret)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Set = %v, want a timeout", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error %q shows the secret", err)
	}
	if err := kc.Delete(ctx, "quickbooks.token"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Delete = %v, want a timeout", err)
	}
}

func TestKeychainCallsStopOnCancel(t *testing.T) {
	kc := &KeychainStore{service: "dealbooks-test", timeout: time.Hour, ring: newHangingRing(t)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := kc.Get(ctx, "quickbooks.token"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get = %v, want context.Canceled", err)
	}
}

func TestKeychainTooBig(t *testing.T) {
	keyring.MockInitWithError(keyring.ErrSetDataTooBig)
	err := NewKeychain("dealbooks-test", time.Minute).Set(context.Background(), "quickbooks.token", testSecret)
	if !errors.Is(err, keyring.ErrSetDataTooBig) || !strings.Contains(err.Error(), "too big") {
		t.Fatalf("Set = %v, want a too-big error", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error %q shows the secret", err)
	}
}

func TestFileIsPrivateAndReplacedWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	f := NewFile(dir)
	ctx := context.Background()
	for i := range 3 {
		if err := f.Set(ctx, fmt.Sprint("key", i), testSecret); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name() != FileName || entries[1].Name() != LockName {
		t.Errorf("data folder holds %v, want only %s and its lock %s", entries, FileName, LockName)
	}
	if runtime.GOOS == "windows" {
		return // Windows has no Unix permission bits; the profile folder's ACL protects the file.
	}
	for path, want := range map[string]fs.FileMode{dir: 0o700, f.Path(): 0o600, filepath.Join(dir, LockName): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", path, got, want)
		}
	}
}

// Two processes (the window and a command) share the file: each keeps its own FileStore over the same
// folder. Writing at once, neither loses the other's keys, and a value rotated by one is what the other
// reads after.
func TestConcurrentWritersLoseNoKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	const writers, keysEach = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		f := NewFile(dir) // a store of its own, as another process has
		wg.Go(func() {
			for k := range keysEach {
				if err := f.Set(ctx, fmt.Sprintf("w%d.key%d", w, k), fmt.Sprintf("token %d of writer %d", k, w)); err != nil {
					errs <- err
					return
				}
			}
			// Rotate one key: the last value written is the one kept.
			if err := f.Set(ctx, fmt.Sprintf("w%d.key0", w), "rotated"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	reader := NewFile(dir)
	for w := range writers {
		for k := range keysEach {
			want := fmt.Sprintf("token %d of writer %d", k, w)
			if k == 0 {
				want = "rotated"
			}
			if got, err := reader.Get(ctx, fmt.Sprintf("w%d.key%d", w, k)); err != nil || got != want {
				t.Errorf("w%d.key%d = %q, %v; want %q", w, k, got, err, want)
			}
		}
	}
}

// A call waiting for another process's lock ends with its context.
func TestWaitingForTheLockEndsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	other := flock.New(filepath.Join(dir, LockName))
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock as another process: %v, %v", ok, err)
	}
	defer other.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewFile(dir).Set(ctx, "quickbooks.token", testSecret); !errors.Is(err, context.Canceled) {
		t.Errorf("Set while another process holds the lock = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file was written without the lock: %v", err)
	}
}

func TestDamagedFileSaysWhereNotWhat(t *testing.T) {
	f := NewFile(t.TempDir())
	if err := os.WriteFile(f.Path(), []byte(`{"quickbooks.token": "`+testSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := f.Get(context.Background(), "quickbooks.token")
	if err == nil || !strings.Contains(err.Error(), f.Path()) || strings.Contains(err.Error(), testSecret) {
		t.Fatalf("Get from a damaged file = %v", err)
	}
}

func TestOpenUsesKeychainWhenItAnswers(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s, err := Open(context.Background(), Options{Service: "dealbooks-test", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != Keychain || !strings.Contains(s.Describe(), "OS keychain") {
		t.Errorf("Open chose %v: %q", s.Kind(), s.Describe())
	}
	if err := s.Set(context.Background(), "quickbooks.token", testSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a secrets file was written next to a working keychain: %v", err)
	}
}

func TestOpenFallsBackToFile(t *testing.T) {
	tests := []struct {
		name string
		kc   func(t *testing.T) *KeychainStore
	}{
		{"no keychain", func(*testing.T) *KeychainStore {
			keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
			return NewKeychain("dealbooks-test", time.Minute)
		}},
		{"keychain hangs", func(t *testing.T) *KeychainStore {
			return &KeychainStore{service: "dealbooks-test", timeout: time.Millisecond, ring: newHangingRing(t)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := choose(context.Background(), tt.kc(t), NewFile(dir))
			if s.Kind() != File || !strings.Contains(s.Describe(), filepath.Join(dir, FileName)) {
				t.Fatalf("chose %v: %q", s.Kind(), s.Describe())
			}
			if err := s.Set(context.Background(), "quickbooks.token", testSecret); err != nil {
				t.Fatal(err)
			}
			if got, err := NewFile(dir).Get(context.Background(), "quickbooks.token"); err != nil || got != testSecret {
				t.Errorf("the file holds %q, %v", got, err)
			}
		})
	}
}

func TestOpenMovesFileSecretsIntoKeychain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := NewFile(dir).Set(ctx, "quickbooks.token", testSecret); err != nil {
		t.Fatal(err)
	}
	keyring.MockInit()
	s, err := Open(ctx, Options{Service: "dealbooks-test", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != Keychain {
		t.Fatalf("chose %v", s.Kind())
	}
	if got, err := s.Get(ctx, "quickbooks.token"); err != nil || got != testSecret {
		t.Errorf("keychain holds %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is still there: %v", err)
	}
}

func TestOpenKeepsFileWhenMoveFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := NewFile(dir).Set(ctx, "quickbooks.token", testSecret); err != nil {
		t.Fatal(err)
	}
	keyring.MockInit()
	kc := &KeychainStore{service: "dealbooks-test", timeout: time.Minute, ring: readOnlyRing{}}
	s := choose(ctx, kc, NewFile(dir))
	if s.Kind() != File {
		t.Fatalf("chose %v, want the file that still holds the secrets", s.Kind())
	}
	if got, err := s.Get(ctx, "quickbooks.token"); err != nil || got != testSecret {
		t.Errorf("file holds %q, %v", got, err)
	}
}

// readOnlyRing answers reads but refuses writes, as a keychain whose unlock was declined.
type readOnlyRing struct{ osRing }

func (readOnlyRing) Set(string, string, string) error { return errors.New("user declined the unlock") }

func TestClientCredentials(t *testing.T) {
	ctx := context.Background()
	keyring.MockInit()
	s := NewKeychain("dealbooks-test", time.Minute)
	builtIn := Client{ID: "built-in-id", Secret: "built-in-secret"}

	if got, err := LoadClient(ctx, s, "quickbooks", builtIn); err != nil || got != builtIn {
		t.Fatalf("LoadClient with nothing saved = %v, %v; want the built-in client", got, err)
	}
	mine := Client{ID: "my-id", Secret: testSecret}
	if err := SaveClient(ctx, s, "quickbooks", mine); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadClient(ctx, s, "quickbooks", builtIn); err != nil || got != mine {
		t.Fatalf("LoadClient = %v, %v; want the saved client", got, err)
	}
	if got, err := LoadClient(ctx, s, "pipedrive", Client{}); err != nil || got != (Client{}) {
		t.Fatalf("LoadClient for another provider = %v, %v", got, err)
	}
	if err := DeleteClient(ctx, s, "quickbooks"); err != nil {
		t.Fatal(err)
	}
	if got, _ := LoadClient(ctx, s, "quickbooks", builtIn); got != builtIn {
		t.Errorf("after DeleteClient got %v, want the built-in client", got)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, mine); strings.Contains(out, testSecret) {
			t.Errorf("%s shows the secret: %s", format, out)
		}
	}
}

func FuzzFileContents(f *testing.F) {
	f.Add([]byte(`{"quickbooks.token":"{\"refresh_token\":\"r\"}","quickbooks.client":"{\"id\":\"a\",\"secret\":\"b\"}"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`["not", "an", "object"]`))
	f.Fuzz(func(t *testing.T, contents []byte) {
		file := NewFile(t.TempDir())
		if err := os.WriteFile(file.Path(), contents, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		_, err := file.Get(ctx, "quickbooks.token")
		if err != nil && !errors.Is(err, ErrNotFound) {
			if len(contents) > 8 && strings.Contains(err.Error(), string(contents)) {
				t.Fatalf("error %q repeats the file", err)
			}
			return
		}
		// A readable file stays readable after a change.
		if err := file.Set(ctx, "pipedrive.token", "v"); err != nil {
			t.Fatal(err)
		}
		if got, err := file.Get(ctx, "pipedrive.token"); err != nil || got != "v" {
			t.Fatalf("after Set: %q, %v", got, err)
		}
		if _, err := LoadClient(ctx, file, "quickbooks", Client{}); err != nil && strings.Contains(err.Error(), "secret\":") {
			t.Fatalf("LoadClient error %q repeats the stored client", err)
		}
	})
}
