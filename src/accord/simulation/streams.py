"""The stochastic strategies' random draws, computed in bulk and bit for bit as NumPy draws them.

Negotiation ``k`` of a run with seed ``s`` draws its uniforms from its own stream: the generator
``Generator(PCG64(SeedSequence(s, spawn_key=(k,))))`` (child ``k`` of ``SeedSequence(s).spawn``),
``random((n_parties, deadline))`` in C order (:func:`accord.simulation.setup.negotiation_draws`
states the layout). Building one NumPy generator per negotiation costs about 15 µs, more than the
negotiation itself on a small scenario, and the simulate engine builds tens of thousands of them
per evaluation. :func:`stream_uniforms` computes the same numbers in one compiled loop:

* the seed sequence's entropy pool, by the hash and mix functions of NumPy's ``SeedSequence``
  (O'Neill's seed_seq design, as NumPy implements it: a pool of four 32-bit words, entropy =
  the seed's 32-bit words zero-padded to the pool size followed by the spawn key's words), and
  ``generate_state(4, uint64)``;
* PCG64's seeding (``pcg_setseq_128_srandom_r``) and its XSL-RR output function on the 128-bit
  LCG state (O'Neill 2014, *PCG: a family of simple fast space-efficient statistically good
  algorithms for random number generation*, §6.3.2), carried as two 64-bit halves;
* a double from the top 53 bits of each 64-bit output, as ``Generator.random`` makes it.

:func:`reference_uniforms` is the readable reference (one NumPy generator per negotiation); tests
check that both give identical bits on random seeds and spawn keys. A seed the compiled path does
not take (not a non-negative integer) goes through the reference, which raises NumPy's error.

Example::

    >>> a = stream_uniforms(7, 3, 5, 2, 4)
    >>> b = reference_uniforms(7, 3, 5, 2, 4)
    >>> a.shape, bool((a == b).all())
    ((2, 2, 4), True)
"""

from __future__ import annotations

import numbers

import numpy as np
from numba import njit

# SeedSequence's constants (numpy/random/bit_generator.pyx).
_M32 = np.uint64(0xFFFFFFFF)
_INIT_A = np.uint64(0x43B0D7E5)
_MULT_A = np.uint64(0x931E8875)
_INIT_B = np.uint64(0x8B51F9DD)
_MULT_B = np.uint64(0x58F38DED)
_MIX_MULT_L = np.uint64(0xCA01F9DD)
_MIX_MULT_R = np.uint64(0x4973F715)
_XSHIFT = np.uint64(16)
POOL_SIZE = 4
# PCG64's default 128-bit multiplier (pcg64.h), as high and low halves.
_MULT_HI = np.uint64(2549297995355413924)
_MULT_LO = np.uint64(4865540595714422341)
_ONE = np.uint64(1)
_SHIFT_32 = np.uint64(32)
_SHIFT_58 = np.uint64(58)
_SHIFT_63 = np.uint64(63)
_SHIFT_11 = np.uint64(11)
_MASK_6 = np.uint64(63)
_TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0


def seed_words(seed: int) -> np.ndarray:
    """The seed's 32-bit words, least significant first, zero-padded to the pool size.

    This is the run entropy of ``SeedSequence(seed, spawn_key=...)``: with a spawn key NumPy pads
    a short entropy with zeros so that spawned streams never collide with unspawned ones.
    """
    n = int(seed)
    words = [0] if n == 0 else []
    while n > 0:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    words += [0] * (POOL_SIZE - len(words))
    return np.array(words, dtype=np.uint64)


@njit(cache=True, inline="always")
def _hashmix(value, hash_const):
    value = value ^ hash_const
    hash_const = (hash_const * _MULT_A) & _M32
    value = (value * hash_const) & _M32
    return value ^ (value >> _XSHIFT), hash_const


@njit(cache=True, inline="always")
def _mix(x, y):
    result = (_MIX_MULT_L * x - _MIX_MULT_R * y) & _M32
    return result ^ (result >> _XSHIFT)


@njit(cache=True, inline="always")
def _mulhi(a, b):
    """The high 64 bits of the 128-bit product of two 64-bit words."""
    a_lo, a_hi = a & _M32, a >> _SHIFT_32
    b_lo, b_hi = b & _M32, b >> _SHIFT_32
    p0, p1, p2, p3 = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi
    carry = ((p0 >> _SHIFT_32) + (p1 & _M32) + (p2 & _M32)) >> _SHIFT_32
    return p3 + (p1 >> _SHIFT_32) + (p2 >> _SHIFT_32) + carry


@njit(cache=True, inline="always")
def _step(s_hi, s_lo, inc_hi, inc_lo):
    """One LCG step of the 128-bit state: state · multiplier + increment (mod 2^128)."""
    hi = _mulhi(s_lo, _MULT_LO) + s_lo * _MULT_HI + s_hi * _MULT_LO
    lo = s_lo * _MULT_LO
    new_lo = lo + inc_lo
    carry = _ONE if new_lo < lo else np.uint64(0)
    return hi + inc_hi + carry, new_lo


@njit(cache=True)
def _fill_streams(run_entropy, start, out):
    """out[k - start] = the uniforms of stream k (flattened in C order), k = start, start + 1, …"""
    n_run = run_entropy.shape[0]
    entropy = np.empty(n_run + 2, np.uint64)
    entropy[:n_run] = run_entropy
    pool = np.empty(POOL_SIZE, np.uint64)
    state = np.empty(2 * POOL_SIZE, np.uint64)
    for row in range(out.shape[0]):
        # The spawn key (k,) as 32-bit words: [0] for k = 0.
        key = np.uint64(start + row)
        n = n_run
        entropy[n] = key & _M32
        n += 1
        if key >> _SHIFT_32 != 0:
            entropy[n] = key >> _SHIFT_32
            n += 1
        # SeedSequence.mix_entropy.
        h = _INIT_A
        for i in range(POOL_SIZE):
            pool[i], h = _hashmix(entropy[i] if i < n else np.uint64(0), h)
        for i_src in range(POOL_SIZE):
            for i_dst in range(POOL_SIZE):
                if i_src != i_dst:
                    mixed, h = _hashmix(pool[i_src], h)
                    pool[i_dst] = _mix(pool[i_dst], mixed)
        for i_src in range(POOL_SIZE, n):
            for i_dst in range(POOL_SIZE):
                mixed, h = _hashmix(entropy[i_src], h)
                pool[i_dst] = _mix(pool[i_dst], mixed)
        # SeedSequence.generate_state(4, np.uint64): eight 32-bit words, paired little-endian.
        hc = _INIT_B
        for i in range(2 * POOL_SIZE):
            value = pool[i % POOL_SIZE] ^ hc
            hc = (hc * _MULT_B) & _M32
            value = (value * hc) & _M32
            state[i] = value ^ (value >> _XSHIFT)
        seed_hi = state[0] | (state[1] << _SHIFT_32)
        seed_lo = state[2] | (state[3] << _SHIFT_32)
        seq_hi = state[4] | (state[5] << _SHIFT_32)
        seq_lo = state[6] | (state[7] << _SHIFT_32)
        # pcg_setseq_128_srandom_r: odd increment, step, add the seed, step.
        inc_hi = (seq_hi << _ONE) | (seq_lo >> _SHIFT_63)
        inc_lo = (seq_lo << _ONE) | _ONE
        s_hi, s_lo = _step(np.uint64(0), np.uint64(0), inc_hi, inc_lo)
        lo = s_lo + seed_lo
        s_hi = s_hi + seed_hi + (_ONE if lo < s_lo else np.uint64(0))
        s_lo = lo
        s_hi, s_lo = _step(s_hi, s_lo, inc_hi, inc_lo)
        target = out[row]
        for q in range(target.shape[0]):
            s_hi, s_lo = _step(s_hi, s_lo, inc_hi, inc_lo)
            # XSL-RR: xor the halves, rotate right by the top six bits.
            x = s_hi ^ s_lo
            rot = s_hi >> _SHIFT_58
            x = (x >> rot) | (x << ((np.uint64(64) - rot) & _MASK_6))
            target[q] = np.float64(x >> _SHIFT_11) * _TWO_TO_MINUS_53


def _compiled_seed(seed: object) -> bool:
    return isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and int(seed) >= 0


def stream_uniforms(
    seed: int,
    start: int,
    stop: int,
    n_parties: int,
    deadline: int,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Uniforms (stop − start, n_parties, deadline) of streams ``start..stop-1`` of ``seed``.

    Identical, bit for bit, to :func:`reference_uniforms`; ``out`` (C-contiguous float64 of that
    shape, or larger along the first axis) is filled in place to reuse a buffer.
    """
    rows = max(0, stop - start)
    out = np.empty((rows, n_parties, deadline)) if out is None else out[:rows]
    compiled = _compiled_seed(seed) and start >= 0 and stop < 2**63
    if not (compiled and out.flags.c_contiguous and out.dtype == np.float64):
        out[...] = reference_uniforms(seed, start, stop, n_parties, deadline)
    elif rows:
        _fill_streams(seed_words(int(seed)), np.int64(start), out.reshape(rows, -1))
    return out


def reference_uniforms(
    seed: int, start: int, stop: int, n_parties: int, deadline: int
) -> np.ndarray:
    """The reference for :func:`stream_uniforms`: one NumPy generator per stream."""
    out = np.empty((max(0, stop - start), n_parties, deadline))
    for row, k in enumerate(range(start, stop)):
        child = np.random.SeedSequence(seed, spawn_key=(k,))
        out[row] = np.random.Generator(np.random.PCG64(child)).random((n_parties, deadline))
    return out
