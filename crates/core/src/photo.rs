//! Photos as the wire knows them: a photo is named by the SHA-256 of its bytes, so a record
//! refers to its photos before they are uploaded, and the same photo uploaded twice is one.

use serde::{Deserialize, Serialize};

/// The SHA-256 of a photo's bytes, as 64 lowercase hexadecimal digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoHash(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("照片编号应为 64 位十六进制小写数字（SHA-256）")]
pub struct BadPhotoHash;

impl PhotoHash {
    pub fn parse(s: &str) -> Result<Self, BadPhotoHash> {
        let ok = s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(PhotoHash(s.to_owned()))
        } else {
            Err(BadPhotoHash)
        }
    }

    /// The hash of a photo from the 32 bytes of its SHA-256 digest.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in digest {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        PhotoHash(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::string_newtype!(PhotoHash, BadPhotoHash, debug);

/// The largest photo the district accepts. A photo downscaled on the phone (long edge
/// [`LONG_EDGE`], JPEG) is a few hundred kB; this leaves room for a detailed page, and
/// refuses an original straight from a camera.
pub const MAX_PHOTO_BYTES: u64 = 4 * 1024 * 1024;
/// How many bytes the phone sends per request: small enough that a weak rural link
/// finishes a chunk before it drops, so a cut loses little.
pub const CHUNK_BYTES: u32 = 192 * 1024;
/// The largest chunk the district accepts.
pub const MAX_CHUNK_BYTES: u32 = 256 * 1024;
const _: () = assert!(CHUNK_BYTES <= MAX_CHUNK_BYTES && (MAX_CHUNK_BYTES as u64) < MAX_PHOTO_BYTES);

/// The most photos one record may carry.
pub const MAX_PHOTOS_PER_RECORD: usize = 9;
/// The long edge, in pixels, the phone downscales a photo to.
pub const LONG_EDGE: u32 = 1600;
/// The JPEG quality the phone encodes with (0 to 1).
pub const JPEG_QUALITY: f64 = 0.8;

/// The image formats the district accepts, as their first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageType {
    Jpeg,
    Png,
    Webp,
}

impl ImageType {
    /// The format `bytes` start with; `None` when they are not an image this accepts.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(ImageType::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageType::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
                Some(ImageType::Webp)
            }
            _ => None,
        }
    }

    /// How many first bytes [`ImageType::sniff`] needs to decide.
    pub const SNIFF_BYTES: usize = 12;

    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
        }
    }

    pub fn from_mime(mime: &str) -> Option<ImageType> {
        [ImageType::Jpeg, ImageType::Png, ImageType::Webp]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// Where the upload of a photo stands: `GET /api/v1/photos/{hash}/upload`, and the answer
/// to every chunk (`PUT /api/v1/photos/{hash}/upload?offset=N&size=T`). The phone sends the
/// next chunk from `received`; a cut upload resumes from there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    pub hash: PhotoHash,
    /// The photo's size, once the district knows it (from the first chunk, or the photo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// How many bytes, from the start, the district holds.
    pub received: u64,
    /// Whether the district holds the whole photo, checked against its hash.
    pub complete: bool,
}

/// A photo a record refers to, as the district shows it: whether it has arrived yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPhoto {
    pub hash: PhotoHash,
    pub arrived: bool,
}

/// Why a record's list of photos is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoListError {
    #[error("照片最多 {MAX_PHOTOS_PER_RECORD} 张")]
    TooMany,
    #[error("同一张照片附了两次")]
    Repeated,
}

/// A record's photos: at most [`MAX_PHOTOS_PER_RECORD`], each once.
pub fn check_photos(photos: &[PhotoHash]) -> Result<(), PhotoListError> {
    if photos.len() > MAX_PHOTOS_PER_RECORD {
        return Err(PhotoListError::TooMany);
    }
    let mut seen: Vec<&PhotoHash> = photos.iter().collect();
    seen.sort();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(PhotoListError::Repeated);
    }
    Ok(())
}

/// How much free room the phone keeps beyond a new photo: the text of records must always
/// fit, and the browser evicts or fails writes well before the quota is reached.
pub const SPACE_MARGIN_BYTES: u64 = 20 * 1024 * 1024;

/// Whether a new photo of about `need` bytes may be stored, given the browser's storage
/// estimate (`usage`, `quota`). Without an estimate the photo is taken: a write that then
/// fails is reported and loses nothing.
pub fn room_for(estimate: Option<(u64, u64)>, need: u64) -> bool {
    match estimate {
        Some((usage, quota)) => quota.saturating_sub(usage) >= need + SPACE_MARGIN_BYTES,
        None => true,
    }
}

/// The size a `width` × `height` image is drawn at so that its long edge is at most
/// `long_edge`, keeping its proportions (never enlarged, never below 1 px).
pub fn fit(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(long_edge).max(1)
    };
    (scale(width), scale(height))
}

/// Where an upload's first chunk is in the photo's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkPlan {
    pub offset: u64,
    pub len: u64,
}

/// The next chunk to send of a photo of `size` bytes when the district holds `received`;
/// `None` once everything is sent.
pub fn next_chunk(size: u64, received: u64) -> Option<ChunkPlan> {
    (received < size).then(|| ChunkPlan {
        offset: received,
        len: (size - received).min(u64::from(CHUNK_BYTES)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u8) -> PhotoHash {
        PhotoHash::parse(&format!("{n:02x}").repeat(32)).unwrap()
    }

    #[test]
    fn images_are_known_by_their_first_bytes() {
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
        ];
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        let webp = *b"RIFF\x24\0\0\0WEBPVP8 ";
        assert_eq!(ImageType::sniff(&jpeg), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(&png), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(&webp), Some(ImageType::Webp));
        for t in [ImageType::Jpeg, ImageType::Png, ImageType::Webp] {
            assert_eq!(ImageType::from_mime(t.mime()), Some(t));
        }
    }

    #[test]
    fn text_pdf_gif_and_truncated_headers_are_not_images() {
        for bad in [
            &b""[..],
            b"hello, world",
            b"%PDF-1.7\n%\xE2\xE3",
            b"GIF89a\x01\x00\x01\x00",
            &[0xFF, 0xD8],
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"\x89PNG",
        ] {
            assert_eq!(ImageType::sniff(bad), None, "{bad:?}");
        }
        assert_eq!(ImageType::from_mime("image/gif"), None);
    }

    #[test]
    fn a_record_carries_at_most_nine_photos_each_once() {
        let nine: Vec<PhotoHash> = (0..9).map(hash).collect();
        assert_eq!(check_photos(&[]), Ok(()));
        assert_eq!(check_photos(&nine), Ok(()));
        let ten: Vec<PhotoHash> = (0..10).map(hash).collect();
        assert_eq!(check_photos(&ten), Err(PhotoListError::TooMany));
        assert_eq!(
            check_photos(&[hash(1), hash(2), hash(1)]),
            Err(PhotoListError::Repeated)
        );
        assert!(PhotoListError::TooMany.to_string().contains('9'));
    }

    #[test]
    fn chunks_cover_the_photo_from_where_the_district_stands() {
        let size = u64::from(CHUNK_BYTES) * 2 + 5;
        assert_eq!(
            next_chunk(size, 0),
            Some(ChunkPlan {
                offset: 0,
                len: CHUNK_BYTES.into()
            })
        );
        assert_eq!(
            next_chunk(size, size - 5),
            Some(ChunkPlan {
                offset: size - 5,
                len: 5
            })
        );
        assert_eq!(next_chunk(size, size), None);
        assert_eq!(next_chunk(0, 0), None);
        // Resuming in the middle of a chunk the phone planned (a cut mid-request).
        assert_eq!(next_chunk(size, 1000).map(|c| c.offset), Some(1000));
    }

    #[test]
    fn a_photo_is_taken_only_with_room_to_spare() {
        let mb = 1024 * 1024;
        assert!(room_for(None, 400_000));
        assert!(room_for(Some((10 * mb, 100 * mb)), 400_000));
        assert!(!room_for(Some((90 * mb, 100 * mb)), 400_000));
        assert!(!room_for(Some((200 * mb, 100 * mb)), 1));
    }

    #[test]
    fn the_long_edge_is_brought_down_and_proportions_kept() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(1200, 800, 1600), (1200, 800));
        assert_eq!(fit(10_000, 3, 1600), (1600, 1));
        assert_eq!(fit(0, 0, 1600), (1, 1));
    }

    #[test]
    fn an_upload_status_without_a_size_leaves_it_out() {
        let status = UploadStatus {
            hash: hash(7),
            size: None,
            received: 0,
            complete: false,
        };
        let json = serde_json::to_value(&status).unwrap();
        assert!(json.get("size").is_none(), "{json}");
        assert_eq!(
            serde_json::from_value::<UploadStatus>(json).unwrap(),
            status
        );
    }

    #[test]
    fn a_sha256_in_lowercase_hex_is_a_photo_hash() {
        let h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(PhotoHash::parse(h).unwrap().as_str(), h);
        let json = serde_json::to_string(&PhotoHash::parse(h).unwrap()).unwrap();
        assert_eq!(json, format!("\"{h}\""));
    }

    #[test]
    fn a_digest_is_written_as_lowercase_hex() {
        let mut digest = [0u8; 32];
        digest[0] = 0xAB;
        digest[31] = 0x0F;
        let h = PhotoHash::from_digest(digest);
        assert_eq!(h.as_str(), format!("ab{}0f", "0".repeat(60)));
        assert_eq!(PhotoHash::parse(h.as_str()), Ok(h));
    }

    #[test]
    fn anything_else_is_refused_with_a_chinese_message() {
        for bad in [
            "",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "abc",
            &"g".repeat(64),
        ] {
            assert_eq!(PhotoHash::parse(bad), Err(BadPhotoHash), "{bad}");
        }
        assert!(serde_json::from_str::<PhotoHash>("\"xyz\"").is_err());
        assert!(BadPhotoHash.to_string().contains("SHA-256"));
    }
}
