//! The decisions of a photo upload, pure so that every storage backend shares them: whether
//! a chunk may be stored where the phone says it goes, and whether the assembled bytes are
//! the photo their hash names.

use sha2::{Digest, Sha256};
use wenming_core::photo::{ImageType, PhotoHash, MAX_CHUNK_BYTES, MAX_PHOTO_BYTES};

/// A chunk as the phone sent it: `bytes` go at `offset` of a photo of `size` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub hash: &'a PhotoHash,
    pub offset: u64,
    pub size: u64,
    pub bytes: &'a [u8],
}

/// An upload under way, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub size: u64,
    pub received: u64,
}

/// Why a chunk or a finished upload is refused; the HTTP layer says it in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The photo (413) or the chunk is larger than the district takes.
    TooBig,
    /// The first bytes are not a JPEG, PNG or WebP (415).
    NotImage,
    /// The whole upload is not the photo its hash names (422); the upload is dropped.
    HashMismatch,
    /// The district holds `received` bytes, not `offset` (409): continue from there.
    Offset { received: u64 },
    /// An empty chunk, an empty photo, or bytes past the photo's end (400).
    Malformed(&'static str),
}

/// What storing a chunk does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Drop what is stored of an earlier upload of this hash first (a fresh start at 0
    /// with another size: the earlier one was never going to match its hash).
    pub restart: bool,
    /// The chunk is the last: assemble, verify and store the photo.
    pub last: bool,
}

/// Decides where a chunk goes, given what is stored of the upload.
pub fn plan(chunk: &Chunk<'_>, stored: Option<Partial>) -> Result<Plan, Refusal> {
    if chunk.size > MAX_PHOTO_BYTES || chunk.bytes.len() > MAX_CHUNK_BYTES as usize {
        return Err(Refusal::TooBig);
    }
    if chunk.size == 0 || chunk.bytes.is_empty() {
        return Err(Refusal::Malformed("照片或分块为空"));
    }
    let end = chunk.offset.saturating_add(chunk.bytes.len() as u64);
    if end > chunk.size {
        return Err(Refusal::Malformed("分块超出了照片的大小"));
    }
    let restart = match stored {
        Some(p) if p.size == chunk.size && p.received == chunk.offset => false,
        Some(p) if p.size == chunk.size => {
            return Err(Refusal::Offset {
                received: p.received,
            })
        }
        Some(_) | None if chunk.offset == 0 => stored.is_some(),
        _ => return Err(Refusal::Offset { received: 0 }),
    };
    // Refuse what is not an image at the first chunk, before the rest is sent for nothing.
    if chunk.offset == 0 && ImageType::sniff(chunk.bytes).is_none() {
        return Err(Refusal::NotImage);
    }
    Ok(Plan {
        restart,
        last: end == chunk.size,
    })
}

/// The SHA-256 of `bytes` as a photo hash.
pub fn hash_of(bytes: &[u8]) -> PhotoHash {
    PhotoHash::from_digest(Sha256::digest(bytes).into())
}

/// Checks an assembled upload: its hash, then its magic bytes.
pub fn verify(hash: &PhotoHash, bytes: &[u8]) -> Result<ImageType, Refusal> {
    if &hash_of(bytes) != hash {
        return Err(Refusal::HashMismatch);
    }
    ImageType::sniff(bytes).ok_or(Refusal::NotImage)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

    fn chunk<'a>(hash: &'a PhotoHash, offset: u64, size: u64, bytes: &'a [u8]) -> Chunk<'a> {
        Chunk {
            hash,
            offset,
            size,
            bytes,
        }
    }

    #[test]
    fn a_first_chunk_starts_an_upload_and_the_next_continues_it() {
        let h = hash_of(JPEG);
        let first = plan(&chunk(&h, 0, 12, &JPEG[..5]), None).unwrap();
        assert_eq!(
            first,
            Plan {
                restart: false,
                last: false
            }
        );
        let stored = Partial {
            size: 12,
            received: 5,
        };
        let last = plan(&chunk(&h, 5, 12, &JPEG[5..]), Some(stored)).unwrap();
        assert!(last.last && !last.restart);
    }

    #[test]
    fn a_chunk_elsewhere_than_the_stored_end_is_told_where_to_continue() {
        let h = hash_of(JPEG);
        let stored = Partial {
            size: 12,
            received: 5,
        };
        assert_eq!(
            plan(&chunk(&h, 8, 12, &JPEG[8..]), Some(stored)),
            Err(Refusal::Offset { received: 5 })
        );
        assert_eq!(
            plan(&chunk(&h, 5, 12, &JPEG[5..]), None),
            Err(Refusal::Offset { received: 0 })
        );
        // Starting again from zero with the same size is a resend of what is stored.
        assert_eq!(
            plan(&chunk(&h, 0, 12, JPEG), Some(stored)),
            Err(Refusal::Offset { received: 5 })
        );
        // With another size it replaces the upload.
        let other = Partial {
            size: 99,
            received: 5,
        };
        assert!(plan(&chunk(&h, 0, 12, JPEG), Some(other)).unwrap().restart);
    }

    #[test]
    fn oversized_empty_and_overflowing_chunks_are_refused() {
        let h = hash_of(JPEG);
        assert_eq!(
            plan(&chunk(&h, 0, MAX_PHOTO_BYTES + 1, JPEG), None),
            Err(Refusal::TooBig)
        );
        let big = vec![0xFF; MAX_CHUNK_BYTES as usize + 1];
        assert_eq!(
            plan(&chunk(&h, 0, MAX_PHOTO_BYTES, &big), None),
            Err(Refusal::TooBig)
        );
        assert!(matches!(
            plan(&chunk(&h, 0, 12, &[]), None),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            plan(&chunk(&h, 0, 4, JPEG), None),
            Err(Refusal::Malformed(_))
        ));
    }

    #[test]
    fn a_first_chunk_that_is_not_an_image_is_refused_at_once() {
        let text = b"just some text";
        let h = hash_of(text);
        assert_eq!(plan(&chunk(&h, 0, 14, text), None), Err(Refusal::NotImage));
    }

    #[test]
    fn the_assembled_photo_must_be_what_its_hash_names() {
        assert_eq!(verify(&hash_of(JPEG), JPEG), Ok(ImageType::Jpeg));
        assert_eq!(verify(&hash_of(b"other"), JPEG), Err(Refusal::HashMismatch));
        assert_eq!(
            hash_of(b"").as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
