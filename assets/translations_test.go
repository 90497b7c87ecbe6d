package assets

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// keyedCall matches lang.X("key", "English fallback" — the only way Dealbooks' code names a user-facing string.
var keyedCall = regexp.MustCompile(`lang\.X\(\s*"([^"]+)",\s*("(?:[^"\\]|\\.)*")`)

func TestEveryStringInTheCodeIsTranslatedInEveryLanguage(t *testing.T) {
	used := keysUsedInCode(t)
	if len(used) == 0 {
		t.Fatal("found no lang.X calls; the scan is broken")
	}
	for _, language := range []string{"en", "nl"} {
		messages := loadMessages(t, language)
		for key, fallback := range used {
			text, ok := messages[key]
			switch {
			case !ok:
				t.Errorf("%s.json has no %q", language, key)
			case text == "":
				t.Errorf("%s.json has an empty %q", language, key)
			case language == "en" && text != fallback:
				t.Errorf("en.json says %q for %q but the code's fallback says %q", text, key, fallback)
			}
		}
		for key := range messages {
			if _, ok := used[key]; !ok {
				t.Errorf("%s.json has %q, which no code uses", language, key)
			}
		}
	}
}

func keysUsedInCode(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyedCall.FindAllStringSubmatch(string(src), -1) {
			fallback, err := strconv.Unquote(m[2])
			if err != nil {
				t.Errorf("%s: fallback for %q: %v", path, m[1], err)
				continue
			}
			if earlier, ok := used[m[1]]; ok && earlier != fallback {
				t.Errorf("%s: key %q has two fallbacks: %q and %q", path, m[1], earlier, fallback)
			}
			used[m[1]] = fallback
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func loadMessages(t *testing.T, language string) map[string]string {
	t.Helper()
	data, err := Translations.ReadFile("translations/" + language + ".json")
	if err != nil {
		t.Fatal(err)
	}
	messages := map[string]string{}
	if err := json.Unmarshal(data, &messages); err != nil {
		t.Fatalf("%s.json: %v", language, err)
	}
	return messages
}

func TestIconIsA512PixelSquarePNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(IconPNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
}
