// Package fuzzseed cuts the JSON samples the fuzz targets start from into small seeds, so that the fuzzer's input
// minimizer (quadratic in the input's length) stays quick and a short fuzz run makes progress.
package fuzzseed

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxSeed is the longest seed Split makes, in bytes. Minimizing a 1 KB input takes the fuzzer longer than a 10-s
// run; a few hundred bytes take it a moment.
const MaxSeed = 256

// Split returns small documents cut from the JSON document doc: doc itself when it is short enough, else for each
// member of an object (and the first elements of an array) a document that holds only that member at the same
// place, cut further until short enough. A part that is short enough only by itself (a long string) is left out.
func Split(doc []byte) [][]byte {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // keep numbers exactly as the sample has them
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out [][]byte
	split(v, func(x any) any { return x }, &out)
	return out
}

// arrayElements is how many elements of each array are cut into seeds: the rest repeat their shape.
const arrayElements = 2

func split(v any, wrap func(any) any, out *[][]byte) {
	b, err := json.Marshal(wrap(v))
	if err != nil {
		return
	}
	if len(b) <= MaxSeed {
		*out = append(*out, b)
		return
	}
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			split(v[k], func(x any) any { return wrap(map[string]any{k: x}) }, out)
		}
	case []any:
		for _, e := range v[:min(len(v), arrayElements)] {
			split(e, func(x any) any { return wrap([]any{x}) }, out)
		}
	}
}

// PerSample is the most seeds Samples takes from one sample: enough shapes to start from, few enough that the
// fuzzer's first pass over the seeds stays short when a target reads fifty samples.
const PerSample = 4

// Samples returns seeds Split cuts from every testdata/*.json file whose name starts with one of prefixes, at most
// PerSample of each, spread over the sample.
func Samples(prefixes ...string) ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, file := range files {
		for _, p := range prefixes {
			if strings.HasPrefix(filepath.Base(file), p) {
				b, err := os.ReadFile(file)
				if err != nil {
					return nil, err
				}
				out = append(out, spread(Split(b), PerSample)...)
				break
			}
		}
	}
	return out, nil
}

// spread returns n of seeds, evenly spaced, or all of them when there are no more than n.
func spread(seeds [][]byte, n int) [][]byte {
	if len(seeds) <= n {
		return seeds
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = seeds[i*len(seeds)/n]
	}
	return out
}
