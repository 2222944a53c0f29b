package rt

import "sync"

// decoderPool recycles decoders between payloads. Generated decoders hand
// the checker to check functions held in function values, which escape
// analysis cannot see into, so a decoder never stays on its caller's
// stack: without the pool every payload would pay for allocating one.
var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// newDecoder returns a decoder of s from the pool; release returns it.
func newDecoder(s string) *decoder {
	d := decoderPool.Get().(*decoder)
	d.s = s
	return d
}

// release returns d to the pool. It keeps nothing of the payload d read:
// the problems and strings d made belong to the caller's results.
func (d *decoder) release() {
	*d = decoder{}
	decoderPool.Put(d)
}
