//! The compact number encoding of postings: base-64 digits that each carry 5 bits and a
//! continuation flag, lowest bits first. Plain ASCII, so a postings list is an ordinary
//! JavaScript string in a classic script file.

const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// The number 0, one digit.
pub(super) const ZERO: u8 = DIGITS[0];

pub(super) fn push(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low]);
            return;
        }
        out.push(DIGITS[low | 32]);
    }
}

#[cfg(test)]
pub(super) fn decode(text: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut n, mut shift) = (0u32, 0);
    for &c in text {
        let v = DIGITS.iter().position(|&d| d == c).expect("a digit") as u32;
        n |= (v & 31) << shift;
        if v & 32 == 0 {
            out.push(n);
            (n, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_small_numbers_take_one_digit() {
        let numbers = [0, 1, 31, 32, 1023, 1024, 65_535, u32::MAX];
        let mut out = Vec::new();
        for n in numbers {
            push(&mut out, n);
        }
        assert_eq!(decode(&out), numbers);
        let mut one = Vec::new();
        push(&mut one, 31);
        assert_eq!(one, b"f");
    }
}
