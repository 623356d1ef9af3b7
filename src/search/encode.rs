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

/// Ascending numbers as the gaps between them (the first from 0), one number each: how
/// `config.js` lists the big postings groups and the characters the folding table folds.
pub(super) fn gaps(ascending: impl IntoIterator<Item = u32>) -> String {
    let mut out = Vec::new();
    let mut previous = 0;
    for n in ascending {
        push(&mut out, n - previous);
        previous = n;
    }
    String::from_utf8(out).expect("the encoding is ASCII")
}

/// The value of each digit, by byte (only digits are ever looked up).
const VALUES: [u8; 256] = {
    let mut values = [0; 256];
    let mut i = 0;
    while i < 64 {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// The numbers of `text`, which holds only whole numbers written by [`push`].
pub(super) fn numbers(text: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let end = rest.iter().position(|&c| VALUES[c as usize] & 32 == 0)?;
        let n = (rest[..=end].iter().rev())
            .fold(0, |n, &c| (n << 5) | u32::from(VALUES[c as usize] & 31));
        rest = &rest[end + 1..];
        Some(n)
    })
}

/// How many bytes the first number of `text` takes.
pub(super) fn first_len(text: &[u8]) -> usize {
    text.iter()
        .position(|&c| VALUES[c as usize] & 32 == 0)
        .map_or(text.len(), |end| end + 1)
}

#[cfg(test)]
pub(super) fn decode(text: &[u8]) -> Vec<u32> {
    numbers(text).collect()
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
        assert_eq!(first_len(&out), 1, "0 is one digit");
        assert_eq!(
            first_len(&out[3..]),
            2,
            "32, after 0, 1 and 31, takes two digits"
        );
        let mut one = Vec::new();
        push(&mut one, 31);
        assert_eq!(one, b"f");
    }
}
