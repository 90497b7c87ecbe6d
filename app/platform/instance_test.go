package platform

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// socketInTemp returns a socket path short enough for every system.
func socketInTemp(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "instance.sock")
}

func TestSecondInstanceShowsTheFirst(t *testing.T) {
	ctx := context.Background()
	path := socketInTemp(t)
	shown := make(chan struct{}, 10)
	release, err := Acquire(ctx, path, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}

	// A client that says something else is ignored.
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("hello\n"))
	conn.Close()

	if _, err := Acquire(ctx, path, func() { t.Error("the second instance was asked to show") }); !errors.Is(err, ErrAnotherInstance) {
		t.Fatalf("second Acquire err = %v, want ErrAnotherInstance", err)
	}
	<-shown

	release()
	release() // twice is harmless
	if len(shown) != 0 {
		t.Errorf("onShow called %d extra times", len(shown))
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file still there after release: %v", err)
	}

	// Once released, the next launch becomes the instance.
	again, err := Acquire(ctx, path, func() {})
	if err != nil {
		t.Fatalf("Acquire after release: %v", err)
	}
	again()
}

func TestStaleSocketIsTakenOver(t *testing.T) {
	ctx := context.Background()
	path := socketInTemp(t)
	// A crashed instance leaves its socket file behind with nobody listening.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket file not left: %v", err)
	}

	shown := make(chan struct{}, 1)
	release, err := Acquire(ctx, path, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatalf("Acquire over a stale socket: %v", err)
	}
	defer release()
	if _, err := Acquire(ctx, path, func() {}); !errors.Is(err, ErrAnotherInstance) {
		t.Fatalf("second Acquire err = %v, want ErrAnotherInstance", err)
	}
	<-shown
}

func TestAcquireCreatesTheFolder(t *testing.T) {
	dir, err := os.MkdirTemp("", "db")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	release, err := Acquire(context.Background(), filepath.Join(dir, "d", "i.sock"), func() {})
	if err != nil {
		t.Fatal(err)
	}
	release()
}

func TestSimultaneousLaunchesHaveOneWinner(t *testing.T) {
	for round := range 50 {
		path := socketInTemp(t)
		results := make(chan error, 8)
		releases := make(chan func(), 8)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				release, err := Acquire(context.Background(), path, func() {})
				if err == nil {
					releases <- release
				}
				results <- err
			})
		}
		wg.Wait()
		close(results)
		close(releases)
		winners := 0
		for err := range results {
			switch {
			case err == nil:
				winners++
			case !errors.Is(err, ErrAnotherInstance):
				t.Errorf("round %d: %v", round, err)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d instances won, want 1", round, winners)
		}
		for release := range releases {
			release()
		}
	}
}
