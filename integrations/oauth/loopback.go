package oauth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultTimeout is how long Connect waits for the browser when Flow.Timeout is zero.
const DefaultTimeout = 5 * time.Minute

// Flow signs in with the system browser and a listener on 127.0.0.1. Which redirect mode it uses
// follows from Config.RedirectURL:
//
//   - loopback: RedirectURL is "http://localhost:PORT/PATH" (or 127.0.0.1). The listener takes
//     that port and path, so PORT must be the one registered with the provider. The listener
//     binds 127.0.0.1 only; a browser that tries ::1 for localhost first falls back to it.
//   - relay: RedirectURL is anything else, normally the HTTPS address where
//     assets/oauth-relay/index.html is hosted. The listener takes Port (0 picks a free one) and
//     the path /callback. The state starts with "PORT." and the relay page forwards code, state,
//     realmId and error to http://127.0.0.1:PORT/callback and nowhere else.
//
// The listener answers exactly one sign-in: the first request to its path that carries a state,
// code or error ends the wait, and the listener closes before the code is exchanged. A request
// whose state is not this attempt's also ends it, with ErrStateMismatch: its code is never
// used, and the user learns at once why the sign-in failed instead of waiting for the timeout.
// (A page that could send such a request can only cancel a sign-in the user then restarts.)
// Requests to other paths, with none of those parameters, or with a Host header other than
// localhost:PORT or 127.0.0.1:PORT (DNS rebinding) are refused and change nothing.
type Flow struct {
	Config Config
	// Port is the loopback port in the relay mode, 1024–65535, or 0 for any free port.
	Port int
	// OpenURL opens the system browser: Fyne's App.OpenURL, github.com/pkg/browser, or a test
	// that plays the browser.
	OpenURL func(url string) error
	// Timeout bounds the wait for the browser; 0 means DefaultTimeout. Cancelling the context
	// (the UI's Cancel button) ends the wait too.
	Timeout time.Duration
}

// String describes the flow without secrets.
func (f *Flow) String() string {
	return fmt.Sprintf("oauth.Flow{%s, port %d, timeout %s}", f.Config, f.Port, f.Timeout)
}

// GoString keeps %#v from printing the client secret.
func (f *Flow) GoString() string { return f.String() }

// Connect opens the provider's authorize page in the browser, waits for the redirect on the
// loopback listener and exchanges the code. The token's Extra answers the Endpoint.Extras,
// e.g. tok.Extra("realmId") for QuickBooks and tok.Extra("api_domain") for Pipedrive.
func (f *Flow) Connect(ctx context.Context) (*oauth2.Token, error) {
	addr, path, err := f.listenAddr()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("oauth: cannot wait for the browser on %s (is another program using the port?): %w", addr, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	s := newSession(f.Config, port)
	cb := &callback{
		session:  s,
		path:     path,
		hosts:    []string{"localhost:" + strconv.Itoa(port), "127.0.0.1:" + strconv.Itoa(port)},
		answered: make(chan answer, 1),
	}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns ErrServerClosed once stop runs
	stop := func() {
		// Shutdown closes the listener at once and lets the page already being sent finish.
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx) // a tab still holding on after 5 s is simply cut off
	}

	if err := f.OpenURL(s.AuthURL()); err != nil {
		stop()
		return nil, fmt.Errorf("oauth: cannot open the browser: %w", err)
	}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var a answer
	select {
	case a = <-cb.answered:
	case <-time.After(timeout):
		a.err = ErrTimeout
	case <-ctx.Done():
		a.err = fmt.Errorf("oauth: sign-in cancelled: %w", ctx.Err())
	}
	stop() // before the exchange: the listener has served its one answer
	if a.err != nil {
		return nil, a.err
	}
	return s.exchange(ctx, a.code, a.query)
}

// listenAddr picks the loopback address and callback path for the redirect mode in use.
func (f *Flow) listenAddr() (addr, path string, err error) {
	u, err := url.Parse(f.Config.RedirectURL)
	if err != nil {
		return "", "", fmt.Errorf("oauth: the redirect URI is not a valid address: %w", err)
	}
	if u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		port, err := strconv.Atoi(u.Port())
		if err != nil || port <= 0 {
			return "", "", errors.New("oauth: a loopback redirect URI needs an explicit port, e.g. http://localhost:53682/callback")
		}
		path = u.Path
		if path == "" {
			path = "/"
		}
		return net.JoinHostPort("127.0.0.1", u.Port()), path, nil
	}
	if f.Port != 0 && (f.Port < 1024 || f.Port > 65535) {
		return "", "", fmt.Errorf("oauth: relay port %d is outside 1024–65535", f.Port)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(f.Port)), "/callback", nil
}

// answer is what the browser brought back: a checked code with its query, or why it failed.
type answer struct {
	code  string
	query url.Values
	err   error
}

// callback serves the loopback listener. It passes on the first answer and refuses the rest.
type callback struct {
	session *Session
	path    string
	// hosts are the Host headers a browser sends to this listener; any other means a web page
	// reached it through DNS rebinding, and is refused without ending the sign-in.
	hosts    []string
	answered chan answer // buffered 1

	mu   sync.Mutex
	done bool
}

func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !slices.Contains(cb.hosts, r.Host) {
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != cb.path || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if !q.Has("state") && !q.Has("code") && !q.Has("error") {
		writePage(w, http.StatusBadRequest, "This is not a sign-in answer.")
		return
	}
	cb.mu.Lock()
	first := !cb.done
	cb.done = true
	cb.mu.Unlock()
	if !first {
		writePage(w, http.StatusGone, "This sign-in has already finished. You can close this tab.")
		return
	}

	code, err := cb.session.check(q)
	cb.answered <- answer{code: code, query: q, err: err}
	switch {
	case err == nil:
		writePage(w, http.StatusOK, "The app has the answer from "+cb.session.cfg.Endpoint.Name+". You can close this tab.")
	case errors.Is(err, ErrDenied):
		writePage(w, http.StatusOK, "Access was declined. You can close this tab; press Connect in the app to try again.")
	case errors.Is(err, ErrStateMismatch):
		writePage(w, http.StatusBadRequest, "This answer does not belong to the sign-in the app started, so it was ignored. Close this tab and press Connect in the app again.")
	default:
		writePage(w, http.StatusBadRequest, cb.session.cfg.Endpoint.Name+" did not sign you in. You can close this tab; the app says why.")
	}
}

// writePage answers the browser with a plain page that loads nothing.
func writePage(w http.ResponseWriter, status int, message string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Sign-in</title></head>\n<body><p>%s</p></body></html>\n", html.EscapeString(message))
}
