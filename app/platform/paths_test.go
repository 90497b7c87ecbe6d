package platform

import (
	"path/filepath"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestResolvePaths(t *testing.T) {
	tests := []struct {
		name    string
		goos    string
		env     map[string]string
		home    string
		profile string
		want    Paths
	}{
		{
			name: "windows",
			goos: "windows",
			env:  map[string]string{"LocalAppData": `C:\Users\ann\AppData\Local`},
			home: `C:\Users\ann`,
			want: Paths{
				Data:     `C:\Users\ann\AppData\Local\Dealbooks\data`,
				Cache:    `C:\Users\ann\AppData\Local\Dealbooks\cache`,
				Logs:     `C:\Users\ann\AppData\Local\Dealbooks\data\logs`,
				Database: `C:\Users\ann\AppData\Local\Dealbooks\data\dealbooks.db`,
			},
		},
		{
			name: "macOS",
			goos: "darwin",
			home: "/Users/ann",
			want: Paths{
				Data:     "/Users/ann/Library/Application Support/Dealbooks",
				Cache:    "/Users/ann/Library/Caches/Dealbooks",
				Logs:     "/Users/ann/Library/Application Support/Dealbooks/logs",
				Database: "/Users/ann/Library/Application Support/Dealbooks/dealbooks.db",
			},
		},
		{
			name: "linux defaults",
			goos: "linux",
			home: "/home/ann",
			want: Paths{
				Data:     "/home/ann/.local/share/dealbooks",
				Cache:    "/home/ann/.cache/dealbooks",
				Logs:     "/home/ann/.local/share/dealbooks/logs",
				Database: "/home/ann/.local/share/dealbooks/dealbooks.db",
			},
		},
		{
			name: "linux XDG",
			goos: "linux",
			env:  map[string]string{"XDG_DATA_HOME": "/data/ann/", "XDG_CACHE_HOME": "/fast/ann"},
			home: "/home/ann",
			want: Paths{
				Data:     "/data/ann/dealbooks",
				Cache:    "/fast/ann/dealbooks",
				Logs:     "/data/ann/dealbooks/logs",
				Database: "/data/ann/dealbooks/dealbooks.db",
			},
		},
		{
			name: "linux relative XDG is ignored",
			goos: "linux",
			env:  map[string]string{"XDG_DATA_HOME": "data", "XDG_CACHE_HOME": "cache"},
			home: "/home/ann",
			want: Paths{
				Data:     "/home/ann/.local/share/dealbooks",
				Cache:    "/home/ann/.cache/dealbooks",
				Logs:     "/home/ann/.local/share/dealbooks/logs",
				Database: "/home/ann/.local/share/dealbooks/dealbooks.db",
			},
		},
		{
			name:    "demo profile",
			goos:    "darwin",
			home:    "/Users/ann",
			profile: "demo",
			want: Paths{
				Data:     "/Users/ann/Library/Application Support/Dealbooks/profiles/demo",
				Cache:    "/Users/ann/Library/Caches/Dealbooks/profiles/demo",
				Logs:     "/Users/ann/Library/Application Support/Dealbooks/profiles/demo/logs",
				Database: "/Users/ann/Library/Application Support/Dealbooks/profiles/demo/dealbooks.db",
			},
		},
		{
			name:    "DEALBOOKS_HOME on windows",
			goos:    "windows",
			env:     map[string]string{HomeEnv: `E:\Dealbooks\`, "LocalAppData": `C:\Users\ann\AppData\Local`},
			profile: "demo",
			want: Paths{
				Data:     `E:\Dealbooks\data\profiles\demo`,
				Cache:    `E:\Dealbooks\cache\profiles\demo`,
				Logs:     `E:\Dealbooks\data\profiles\demo\logs`,
				Database: `E:\Dealbooks\data\profiles\demo\dealbooks.db`,
			},
		},
		{
			name: "DEALBOOKS_HOME on linux needs no home",
			goos: "linux",
			env:  map[string]string{HomeEnv: "/tmp/t1"},
			want: Paths{
				Data:     "/tmp/t1/data",
				Cache:    "/tmp/t1/cache",
				Logs:     "/tmp/t1/data/logs",
				Database: "/tmp/t1/data/dealbooks.db",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolvePaths(tt.goos, env(tt.env), tt.home, tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolvePathsErrors(t *testing.T) {
	tests := []struct {
		name    string
		goos    string
		env     map[string]string
		home    string
		profile string
		wantErr string
	}{
		{"windows without LocalAppData", "windows", nil, `C:\Users\ann`, "", "LocalAppData"},
		{"macOS without home", "darwin", nil, "", "", "home folder"},
		{"linux without home or XDG", "linux", nil, "", "", "XDG_DATA_HOME"},
		{"relative DEALBOOKS_HOME", "linux", map[string]string{HomeEnv: "portable"}, "/home/ann", "", HomeEnv},
		{"drive-relative DEALBOOKS_HOME", "windows", map[string]string{HomeEnv: `E:Dealbooks`}, "", "", HomeEnv},
		{"profile escaping its folder", "linux", nil, "/home/ann", "../default", "profile name"},
		{"profile with a separator", "linux", nil, "/home/ann", `demo\x`, "profile name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ResolvePaths(tt.goos, env(tt.env), tt.home, tt.profile)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestCurrentPathsHonoursDealbooksHome(t *testing.T) {
	base := t.TempDir()
	t.Setenv(HomeEnv, base)
	got, err := CurrentPaths("demo")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(base, "data", "profiles", "demo", "dealbooks.db"); got.Database != want {
		t.Errorf("Database = %s, want %s", got.Database, want)
	}
}

func TestSocketPath(t *testing.T) {
	short := "/home/ann/.local/share/dealbooks"
	if got, want := socketPath(short, "/run/user/1000"), short+"/instance.sock"; got != want {
		t.Errorf("short: %s, want %s", got, want)
	}

	long := "/home/" + strings.Repeat("a", 100) + "/.local/share/dealbooks"
	got := socketPath(long, "/run/user/1000")
	if len(got) > maxSocketPath || !strings.HasPrefix(got, "/run/user/1000/dealbooks-") {
		t.Errorf("long: %s, want a short path in the private folder /run/user/1000", got)
	}
	if other := socketPath(long+"/profiles/demo", "/run/user/1000"); other == got {
		t.Errorf("two data folders share the socket %s", got)
	}
}

// A socket that does not fit in the data folder goes to a folder only its user can write to, never into
// the shared temporary folder where another user could take its name first.
func TestSocketDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name string
		env  map[string]string
		uid  int
		want string
	}{
		{"the session's runtime folder", map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, 1000, "/run/user/1000"},
		{"no runtime folder: a per-user folder in /tmp", nil, 1000, "/tmp/dealbooks-1000"},
		{"a relative runtime folder is ignored", map[string]string{"XDG_RUNTIME_DIR": "run"}, 1000, "/tmp/dealbooks-1000"},
		{"a runtime folder too long for a socket is ignored", map[string]string{"XDG_RUNTIME_DIR": "/" + strings.Repeat("r", 60)}, 7, "/tmp/dealbooks-7"},
		{"Windows: the user's own temporary folder", nil, -1, "/tmp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := socketDir(env(tt.env), "/tmp", tt.uid); got != tt.want {
				t.Errorf("socketDir = %s, want %s", got, tt.want)
			}
		})
	}
}
