package rt

// The decoders of named scalar types, shared: a generated decoder of such a
// type is one call, decodeStringAs(d, key, v, checkCallID). check is nil
// when the type has nothing to check.

// decodeStringAs reads a string into a string type and checks it.
func decodeStringAs[T ~string](d *decoder, key string, v *T, check func(*checker, string, T)) bool {
	s, ok := d.str()
	if !ok {
		d.mismatch(key, "string")
		return false
	}
	*v = T(s)
	if check != nil {
		check(&d.checker, key, *v)
	}
	return true
}

// decodeIntegerAs reads an integer into an integer type and checks it.
func decodeIntegerAs[T ~int64](d *decoder, key string, v *T, check func(*checker, string, T)) bool {
	var n int64
	if !decodeInt64(d, key, &n) {
		return false
	}
	*v = T(n)
	if check != nil {
		check(&d.checker, key, *v)
	}
	return true
}

// decodeNumberAs reads a number into a number type and checks it on its
// literal, so that bounds and multipleOf are decided exactly.
func decodeNumberAs[T ~float64](d *decoder, key string, v *T, check func(*checker, string, T, string)) bool {
	var n float64
	var lit string
	if !decodeNumber(d, key, &n, &lit) {
		return false
	}
	*v = T(n)
	if check != nil {
		check(&d.checker, key, *v, lit)
	}
	return true
}

// decodeBoolAs reads a boolean into a boolean type.
func decodeBoolAs[T ~bool](d *decoder, key string, v *T) bool {
	var b bool
	if !decodeBool(d, key, &b) {
		return false
	}
	*v = T(b)
	return true
}
