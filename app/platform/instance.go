package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrAnotherInstance is returned by Acquire when another instance already runs; it has been asked to
// show its window, and this one should exit.
var ErrAnotherInstance = errors.New("another instance of Dealbooks is running")

// errLocked is returned by lockFile when another process holds the lock.
var errLocked = errors.New("locked by another process")

// The handshake over the socket stays hand-written: it is one message, and no library does it on all three
// operating systems without pulling in far more than these hundred lines.

// showMessage is the whole protocol: a later instance connects, sends this and hangs up.
const showMessage = "show\n"

const (
	// readTimeout bounds how long the first instance waits for a connected client to say something.
	readTimeout = 2 * time.Second
	// The first instance may have taken the lock and not be listening yet: try a few times.
	showAttempts   = 10
	showRetryDelay = 50 * time.Millisecond
)

// Acquire makes this process the only running instance for the unix-domain socket at path (see
// Paths.InstanceSocket; Go supports these sockets on Windows 10 and later too).
//
// The instance holds an exclusive lock on path+".lock", which the operating system releases if the
// process dies, so two launches at the same moment cannot both win. If another instance holds it,
// Acquire asks that instance to show itself and returns an error that is ErrAnotherInstance. Otherwise
// it removes any socket file left by a crashed instance and listens, calling onShow (on its own
// goroutine: wrap UI work in fyne.Do, and return quickly) each time a later instance starts, until
// release is called. ctx bounds only the attempt to reach another instance.
func Acquire(ctx context.Context, path string, onShow func()) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("single instance: %w", err)
	}
	// Another user able to write to the folder could take the lock or the socket first.
	if err := checkPrivate(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("single instance: %w", err)
	}
	unlock, err := lockFile(path + ".lock")
	if errors.Is(err, errLocked) {
		if err := askToShow(ctx, path); err != nil {
			return nil, fmt.Errorf("%w (could not ask it to show its window: %v)", ErrAnotherInstance, err)
		}
		return nil, ErrAnotherInstance
	}
	if err != nil {
		return nil, fmt.Errorf("single instance: %w", err)
	}
	// Holding the lock, any socket file here is stale.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		unlock()
		return nil, fmt.Errorf("single instance: remove stale socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("single instance: %w", err)
	}
	stop := serve(ln, onShow)
	var once sync.Once
	return func() {
		once.Do(func() {
			stop()
			unlock()
		})
	}, nil
}

// askToShow sends the show message to the instance listening at path.
func askToShow(ctx context.Context, path string) error {
	for attempt := 1; ; attempt++ {
		err := sendShow(ctx, path)
		if err == nil || attempt == showAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(showRetryDelay):
		}
	}
}

func sendShow(ctx context.Context, path string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetWriteDeadline(deadline)
	}
	_, err = io.WriteString(conn, showMessage)
	return err
}

// serve answers later instances until the returned stop function is called. Stop closes the listener,
// which removes the socket file, and waits for onShow calls in progress.
func serve(ln net.Listener, onShow func()) (stop func()) {
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // closed by stop
			}
			wg.Go(func() { handle(conn, onShow) })
		}
	})
	return func() {
		ln.Close()
		wg.Wait()
	}
}

func handle(conn net.Conn, onShow func()) {
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(readTimeout))
	msg := make([]byte, len(showMessage))
	if _, err := io.ReadFull(conn, msg); err == nil && string(msg) == showMessage {
		onShow()
	}
}
