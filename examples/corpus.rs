//! A generated catalogue of any size, for benchmarks (`bench/run.sh`): regional innovations
//! across 40 agencies, 8 sectors, 12 start years and 5 award competitions, with Indonesian-
//! like prose assembled at random from the word lists below (invented; no copied sentences).
//! The same `--seed`, `--n` and `--words` always give byte-identical files.
//!
//!     cargo run --release --example corpus -- --n 10000 --seed 42 --out /tmp/c10k
//!
//! Writes OUT/content/innovations/<slug>.md (front matter in the YAML subset that
//! `bench/corpus.py` reads, then the Markdown story), OUT/content/agencies.yaml and
//! OUT/content/competitions.yaml. No book.toml: the catalogue builds with the defaults.

use clap::Parser;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Parser)]
struct Args {
    /// Number of innovation entries.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// About how many words of Markdown story each entry has.
    #[arg(long, default_value_t = 600)]
    words: usize,
    /// Target folder (gets content/...).
    #[arg(long)]
    out: PathBuf,
}

/// key, name, short form, main sector, weight (how many innovations it tends to have)
const AGENCIES: &[(&str, &str, &str, &str, u32)] = &[
    ("dinkes", "Dinas Kesehatan", "Dinkes", "kesehatan", 8),
    (
        "disdikbud",
        "Dinas Pendidikan dan Kebudayaan",
        "Disdikbud",
        "pendidikan",
        6,
    ),
    ("rsud", "Rumah Sakit Umum Daerah", "RSUD", "kesehatan", 4),
    (
        "puskesmas-sukamaju",
        "Puskesmas Sukamaju",
        "PKM Sukamaju",
        "kesehatan",
        4,
    ),
    (
        "puskesmas-pantai-indah",
        "Puskesmas Pantai Indah",
        "PKM Pantai Indah",
        "kesehatan",
        3,
    ),
    (
        "puskesmas-lembah-hijau",
        "Puskesmas Lembah Hijau",
        "PKM Lembah Hijau",
        "kesehatan",
        3,
    ),
    (
        "bappelitbangda",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bappelitbangda",
        "tata-kelola",
        3,
    ),
    (
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        "pelayanan-publik",
        4,
    ),
    (
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "pelayanan-publik",
        3,
    ),
    ("dinsos", "Dinas Sosial", "Dinsos", "sosial", 3),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", "lingkungan", 3),
    (
        "dpupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "DPUPR",
        "lingkungan",
        2,
    ),
    (
        "dishub",
        "Dinas Perhubungan",
        "Dishub",
        "pelayanan-publik",
        2,
    ),
    ("distan", "Dinas Pertanian", "Distan", "ketahanan-pangan", 4),
    (
        "dkp",
        "Dinas Ketahanan Pangan",
        "DKP",
        "ketahanan-pangan",
        3,
    ),
    ("diskan", "Dinas Perikanan", "Diskan", "ketahanan-pangan", 2),
    (
        "diskominfo",
        "Dinas Komunikasi, Informatika dan Persandian",
        "Diskominfo",
        "tata-kelola",
        3,
    ),
    (
        "bapenda",
        "Badan Pendapatan Daerah",
        "Bapenda",
        "tata-kelola",
        2,
    ),
    (
        "bpkd",
        "Badan Pengelolaan Keuangan Daerah",
        "BPKD",
        "tata-kelola",
        1,
    ),
    (
        "bkpsdm",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        "tata-kelola",
        2,
    ),
    (
        "bpbd",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        "lingkungan",
        2,
    ),
    (
        "satpolpp",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        "pelayanan-publik",
        1,
    ),
    (
        "dp3a",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        "DP3A",
        "sosial",
        3,
    ),
    (
        "dppkb",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        "DPPKB",
        "kesehatan",
        2,
    ),
    (
        "dpmd",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "DPMD",
        "sosial",
        2,
    ),
    (
        "diskopukm",
        "Dinas Koperasi dan Usaha Kecil Menengah",
        "Diskop UKM",
        "ekonomi",
        3,
    ),
    (
        "disperindag",
        "Dinas Perindustrian dan Perdagangan",
        "Disperindag",
        "ekonomi",
        2,
    ),
    ("disnaker", "Dinas Tenaga Kerja", "Disnaker", "ekonomi", 1),
    ("dispar", "Dinas Pariwisata", "Dispar", "ekonomi", 2),
    (
        "dispora",
        "Dinas Pemuda dan Olahraga",
        "Dispora",
        "pendidikan",
        1,
    ),
    (
        "dispusip",
        "Dinas Perpustakaan dan Kearsipan",
        "Dispusip",
        "pendidikan",
        2,
    ),
    (
        "disperkim",
        "Dinas Perumahan dan Kawasan Permukiman",
        "Disperkim",
        "lingkungan",
        1,
    ),
    (
        "damkar",
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        "Damkar",
        "pelayanan-publik",
        1,
    ),
    (
        "inspektorat",
        "Inspektorat Daerah",
        "Inspektorat",
        "tata-kelola",
        1,
    ),
    (
        "bag-organisasi",
        "Bagian Organisasi Sekretariat Daerah",
        "Bag. Organisasi",
        "tata-kelola",
        1,
    ),
    (
        "bag-hukum",
        "Bagian Hukum Sekretariat Daerah",
        "Bag. Hukum",
        "tata-kelola",
        1,
    ),
    (
        "kec-sukamaju",
        "Kecamatan Sukamaju",
        "Kec. Sukamaju",
        "pelayanan-publik",
        2,
    ),
    (
        "kec-tanjung-raya",
        "Kecamatan Tanjung Raya",
        "Kec. Tanjung Raya",
        "pelayanan-publik",
        2,
    ),
    (
        "kec-bukit-harapan",
        "Kecamatan Bukit Harapan",
        "Kec. Bukit Harapan",
        "sosial",
        1,
    ),
    (
        "kel-pasar-baru",
        "Kelurahan Pasar Baru",
        "Kel. Pasar Baru",
        "lingkungan",
        1,
    ),
];

/// Per sector: words for names (title case), topics, actors, tags.
struct Sector {
    key: &'static str,
    words: &'static str,
    objects: &'static [&'static str],
    actors: &'static [&'static str],
    tags: &'static [&'static str],
}

const SECTORS: &[Sector] = &[
    Sector {
        key: "kesehatan",
        words: "Balita Ibu Hamil Gizi Sehat Posyandu Imunisasi Stunting Rujukan Pasien Lansia Jantung Darah Obat Apotek Kader Persalinan Sanitasi Jamban Remaja Tensi Vaksin Keluarga Bidan Perawat Klinik Kunjungan Rawat",
        objects: &[
            "cakupan imunisasi dasar",
            "angka stunting",
            "kunjungan ibu hamil",
            "waktu tunggu pasien",
            "rujukan ibu bersalin",
            "pemantauan tekanan darah",
            "status gizi balita",
            "ketersediaan obat esensial",
            "kepatuhan minum obat",
            "deteksi dini penyakit tidak menular",
        ],
        actors: &[
            "kader posyandu",
            "bidan desa",
            "tenaga kesehatan",
            "petugas puskesmas",
            "ibu balita",
        ],
        tags: &[
            "stunting",
            "posyandu",
            "gizi",
            "imunisasi",
            "lansia",
            "ibu-hamil",
            "rujukan",
            "sanitasi",
        ],
    },
    Sector {
        key: "pendidikan",
        words: "Sekolah Baca Tulis Guru Murid Siswa Kelas Belajar Literasi Pustaka Buku Anak Cerdas Bahasa Numerasi Beasiswa Rumah Kampung Mengajar Pintar Karakter Kreatif Ilmu",
        objects: &[
            "minat baca siswa",
            "angka putus sekolah",
            "kemampuan literasi",
            "kemampuan numerasi",
            "kehadiran guru",
            "akses buku bacaan",
            "partisipasi orang tua",
            "mutu pembelajaran",
        ],
        actors: &[
            "guru kelas",
            "kepala sekolah",
            "orang tua murid",
            "relawan literasi",
            "pengawas sekolah",
        ],
        tags: &[
            "literasi",
            "numerasi",
            "beasiswa",
            "putus-sekolah",
            "perpustakaan",
            "guru",
            "pendidikan-karakter",
        ],
    },
    Sector {
        key: "ketahanan-pangan",
        words: "Pangan Padi Jagung Kebun Tani Petani Pupuk Benih Panen Sawah Lumbung Ikan Nelayan Pekarangan Sayur Organik Ternak Irigasi Hortikultura Bibit Pasar",
        objects: &[
            "produktivitas padi",
            "ketersediaan pangan lokal",
            "harga gabah",
            "pemanfaatan pekarangan",
            "distribusi pupuk bersubsidi",
            "hasil tangkapan nelayan",
            "cadangan pangan desa",
        ],
        actors: &[
            "kelompok tani",
            "penyuluh pertanian",
            "kelompok wanita tani",
            "nelayan kecil",
            "pedagang pasar",
        ],
        tags: &[
            "pangan-lokal",
            "pertanian",
            "perikanan",
            "pekarangan",
            "pupuk",
            "lumbung-desa",
        ],
    },
    Sector {
        key: "lingkungan",
        words: "Sampah Bank Hijau Pohon Bersih Sungai Air Limbah Daur Ulang Kompos Banjir Bencana Mangrove Pantai Taman Udara Energi Surya Lestari Kampung Iklim",
        objects: &[
            "volume sampah ke TPA",
            "kualitas air sungai",
            "luas ruang terbuka hijau",
            "kesiapsiagaan bencana",
            "tutupan mangrove",
            "pengolahan limbah rumah tangga",
        ],
        actors: &[
            "pengurus bank sampah",
            "relawan lingkungan",
            "warga bantaran sungai",
            "petugas kebersihan",
        ],
        tags: &[
            "bank-sampah",
            "daur-ulang",
            "mitigasi-bencana",
            "mangrove",
            "kampung-iklim",
            "air-bersih",
        ],
    },
    Sector {
        key: "tata-kelola",
        words: "Anggaran Arsip Data Kinerja Aset Pajak Retribusi Laporan Pengaduan Evaluasi Rencana Digital Elektronik Tanda Tangan Surat Pegawai Absen Audit Transparan Satu",
        objects: &[
            "ketepatan laporan keuangan",
            "penerimaan pajak daerah",
            "akurasi data aset",
            "kecepatan tindak lanjut pengaduan",
            "kedisiplinan pegawai",
            "penggunaan kertas",
        ],
        actors: &[
            "aparatur sipil negara",
            "operator perangkat daerah",
            "auditor internal",
            "wajib pajak",
        ],
        tags: &[
            "e-government",
            "transparansi",
            "pajak-daerah",
            "kearsipan",
            "pengaduan",
            "kinerja",
        ],
    },
    Sector {
        key: "ekonomi",
        words: "Usaha Mikro Pasar Produk Lokal Koperasi Modal Kerja Wisata Desa Kriya Tenun Kopi Ekspor Promosi Digital Niaga Mandiri Pemuda Wirausaha Oleh",
        objects: &[
            "omzet pelaku usaha mikro",
            "akses permodalan",
            "kunjungan wisatawan",
            "penyerapan tenaga kerja",
            "pemasaran produk lokal",
            "jumlah koperasi aktif",
        ],
        actors: &[
            "pelaku usaha mikro",
            "pengurus koperasi",
            "pengelola desa wisata",
            "pencari kerja",
        ],
        tags: &[
            "umkm",
            "koperasi",
            "desa-wisata",
            "ekonomi-kreatif",
            "pemasaran-digital",
            "tenaga-kerja",
        ],
    },
    Sector {
        key: "sosial",
        words: "Peduli Disabilitas Anak Perempuan Lansia Miskin Bantuan Sejahtera Keluarga Rumah Layak Jaminan Sahabat Ramah Inklusi Rehabilitasi Terlantar Kasih Sayang",
        objects: &[
            "ketepatan sasaran bantuan sosial",
            "perlindungan anak",
            "layanan bagi penyandang disabilitas",
            "pendampingan keluarga miskin",
            "pencegahan kekerasan dalam rumah tangga",
        ],
        actors: &[
            "pendamping sosial",
            "pekerja sosial masyarakat",
            "keluarga penerima manfaat",
            "pengurus RT",
        ],
        tags: &[
            "disabilitas",
            "perlindungan-anak",
            "bantuan-sosial",
            "kesetaraan-gender",
            "lansia",
            "inklusi",
        ],
    },
    Sector {
        key: "pelayanan-publik",
        words: "Layanan Antar Jemput Bola Keliling Satu Pintu Izin Dokumen Akta Kartu Cepat Mudah Gratis Malam Pekan Kantor Loket Antrean Daring Warga Mobil",
        objects: &[
            "waktu penerbitan dokumen",
            "antrean di loket",
            "kepuasan masyarakat",
            "kepemilikan akta kelahiran",
            "perizinan berusaha",
            "jangkauan layanan di desa terpencil",
        ],
        actors: &[
            "petugas loket",
            "operator desa",
            "pemohon izin",
            "warga lanjut usia",
        ],
        tags: &[
            "adminduk",
            "perizinan",
            "jemput-bola",
            "layanan-daring",
            "antrean",
            "mal-pelayanan-publik",
        ],
    },
];

const LEADS: &[&str] = &[
    "Gerakan",
    "Sistem Informasi",
    "Layanan",
    "Program",
    "Aplikasi",
    "Pelayanan",
    "Sekolah",
    "Kampung",
    "Rumah",
    "Pojok",
    "Gerai",
    "Klinik",
    "Kelas",
    "Posko",
    "Sahabat",
    "Pusat",
    "Kelompok",
    "Gerobak",
    "Si",
];
const TAILS: &[&str] = &[
    "di Rumah Warga",
    "bagi Keluarga Kurang Mampu",
    "Berbasis Desa",
    "Terpadu",
    "Keliling",
    "di Sekolah",
    "Bersama Masyarakat",
    "Tanpa Antre",
    "Setiap Saat",
    "Online",
    "Mandiri",
];

const SUBJECTS: &[&str] = &[
    "masyarakat",
    "warga desa",
    "para kader",
    "petugas lapangan",
    "pemerintah desa",
    "tim inovasi",
    "perangkat daerah",
    "relawan",
    "pengelola layanan",
    "tokoh masyarakat",
    "aparat kelurahan",
    "pemerintah kecamatan",
];
const VERBS: &[&str] = &[
    "meningkatkan",
    "mempercepat",
    "mempermudah",
    "memperluas",
    "memperkuat",
    "mengurangi",
    "menekan",
    "mendorong",
    "mengintegrasikan",
    "memantau",
    "mencatat",
    "menjangkau",
    "mendampingi",
    "mengoptimalkan",
    "menyederhanakan",
    "mendokumentasikan",
    "memetakan",
    "mengawal",
];
const ADJS: &[&str] = &[
    "terpadu",
    "berkelanjutan",
    "mudah diakses",
    "transparan",
    "akuntabel",
    "efisien",
    "tepat sasaran",
    "ramah anak",
    "berbasis data",
    "inklusif",
    "partisipatif",
    "responsif",
    "murah",
];
const PLACES: &[&str] = &[
    "di tingkat desa",
    "di setiap kecamatan",
    "di wilayah pesisir",
    "di daerah terpencil",
    "di lingkungan sekolah",
    "di pasar tradisional",
    "di puskesmas pembantu",
    "di kantor kelurahan",
    "di dusun yang sulit dijangkau",
    "di kawasan perkotaan",
];
const TIMES: &[&str] = &[
    "sejak tahun {y}",
    "setiap bulan",
    "secara berkala",
    "dalam tiga tahun terakhir",
    "pada masa pandemi",
    "sepanjang tahun anggaran berjalan",
    "setiap triwulan",
    "sejak diluncurkan",
];
const CONNS: &[&str] = &[
    "Selain itu,",
    "Oleh karena itu,",
    "Namun demikian,",
    "Dengan demikian,",
    "Sementara itu,",
    "Di sisi lain,",
    "Pada awalnya,",
    "Hingga saat ini,",
    "Melalui inovasi ini,",
    "Dalam pelaksanaannya,",
];
const PROBLEMS: &[&str] = &[
    "rendahnya kesadaran warga",
    "jarak tempuh yang jauh",
    "keterbatasan anggaran",
    "data yang tidak mutakhir",
    "antrean yang panjang",
    "minimnya tenaga pendamping",
    "koordinasi lintas sektor yang lemah",
    "prosedur yang berbelit",
    "biaya transportasi yang tinggi",
    "informasi yang tidak merata",
];
const MEANS: &[&str] = &[
    "aplikasi berbasis ponsel",
    "kunjungan rumah terjadwal",
    "grup percakapan warga",
    "kolaborasi dengan pemerintah desa",
    "pelatihan kader",
    "papan informasi digital",
    "layanan pesan singkat",
    "dasbor pemantauan",
    "kemitraan dengan dunia usaha",
    "forum musyawarah",
];
const PASSIVES: &[&str] = &[
    "terlayani",
    "terdata",
    "terjangkau",
    "didampingi",
    "dilatih",
    "terverifikasi",
    "tertangani",
];
const UNITS: &[&str] = &[
    "warga",
    "keluarga",
    "rumah tangga",
    "peserta",
    "dokumen",
    "desa",
    "kelompok",
    "berkas",
];
const REPLICATORS: &[&str] = &[
    "kecamatan lain",
    "kabupaten tetangga",
    "perangkat daerah lain",
    "desa sekitar",
    "pemerintah provinsi",
];
const FOREIGN: &[&str] = &[
    "jemput bola",
    "real time",
    "one stop service",
    "dashboard",
    "door to door",
    "online",
    "feedback",
];
const INDICATORS: &[&str] = &[
    "Waktu layanan (hari)",
    "Cakupan sasaran (%)",
    "Jumlah pengaduan",
    "Indeks kepuasan (%)",
    "Biaya per layanan (ribu rupiah)",
    "Data terverifikasi (%)",
    "Peserta aktif",
];
const SUSTAIN: &[&str] = &[
    "Regulasi: Peraturan Bupati Nomor {a} Tahun {y}",
    "Anggaran: APBD dan dana desa",
    "Sumber daya manusia: {a} kader terlatih",
    "Kemitraan: {a} mitra swasta dan perguruan tinggi",
    "Replikasi: diterapkan di {a} desa",
    "Monitoring: evaluasi setiap triwulan oleh Bappelitbangda",
    "Standar operasional prosedur telah ditetapkan",
    "Integrasi dengan aplikasi milik pemerintah pusat",
];

const FIRST: &str = "Andi Muhammad Siti Nur Ahmad Rahmawati Suharto Dewi Budi Sri Wahyuni Hasanuddin Fitri Irwan Ratna Syamsul Hartini Rudi Yusuf Nurul Agus Kartini Bambang Indah Fadli Mulyani Arif Rosmini Hendra Aisyah Darmawan Lestari Ilham Marlina Taufik Sukmawati Zainal Puspita";
const LAST: &str = "Pratama Saputra Hidayat Nurhaliza Rahman Kurniawan Wijaya Setiawan Lubis Siregar Daeng Syahrir Hamzah Salim Utami Permata Sari Basri Halim Tamrin Makmur Gunawan Yunus Amir";
const PRE_TITLES: &[&str] = &["dr.", "drg.", "Ir.", "H.", "Hj.", "Drs."];
const POST_TITLES: &[&str] = &[
    "S.Kep.",
    "S.Pd.",
    "M.Kes.",
    "S.T.",
    "S.E., M.Si.",
    "S.Sos.",
    "A.Md.Keb.",
    "S.KM., M.Kes.",
    "M.Pd.",
];

/// Registry key, name, short form.
const COMPETITION_NAMES: &[(&str, &str, &str)] = &[
    ("kipp", "Kompetisi Inovasi Pelayanan Publik", "KIPP"),
    ("iga", "Innovative Government Award", "IGA"),
    ("lomba-inovasi-daerah", "Lomba Inovasi Daerah", "LID"),
    (
        "anugerah-inovasi",
        "Anugerah Inovasi Daerah",
        "Anugerah Inovasi",
    ),
];
/// Registry key, level, organizer, ranks.
const COMPETITIONS: &[(&str, &str, &str, &[&str])] = &[
    (
        "kipp",
        "nasional",
        "Kementerian PANRB",
        &["Top 45", "Top 99", "Outstanding Achievement"],
    ),
    (
        "kipp",
        "provinsi",
        "JIPP Provinsi Sulawesi Selatan",
        &["Top 10", "Top 30", "Top 40"],
    ),
    (
        "iga",
        "nasional",
        "Kementerian Dalam Negeri",
        &["Terinovatif", "Sangat Inovatif", "Inovatif"],
    ),
    (
        "lomba-inovasi-daerah",
        "kabupaten",
        "Bappelitbangda",
        &["Juara I", "Juara II", "Juara III", "Harapan I"],
    ),
    (
        "anugerah-inovasi",
        "provinsi",
        "Balitbangda Provinsi Sulawesi Selatan",
        &["Terbaik", "Nominasi"],
    ),
];
/// Start years, more recent ones more numerous.
const YEARS: &[(i32, u32)] = &[
    (2015, 1),
    (2016, 1),
    (2017, 2),
    (2018, 2),
    (2019, 3),
    (2020, 4),
    (2021, 4),
    (2022, 5),
    (2023, 5),
    (2024, 6),
    (2025, 6),
    (2026, 4),
];
const STAGES: &[&str] = &["inisiatif", "uji-coba", "penerapan"];

type Rng = Xoshiro256PlusPlus;

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).expect("a non-empty list")
}

/// `k` distinct items in random order.
fn sample<'a>(rng: &mut Rng, list: &[&'a str], k: usize) -> Vec<&'a str> {
    rand::seq::index::sample(rng, list.len(), k.min(list.len()))
        .into_iter()
        .map(|i| list[i])
        .collect()
}

fn is_vowel(c: u8) -> bool {
    b"aeiou".contains(&c)
}

/// First syllable of an Indonesian-looking word; `closed` adds a coda (Tanggap → tang).
fn syllable(word: &str, closed: bool) -> String {
    let w = word.to_lowercase();
    let b = w.as_bytes();
    if b.len() <= 3 {
        return w;
    }
    let mut i = 0;
    while i < b.len() && !is_vowel(b[i]) {
        i += 1;
    }
    i += 1; // one vowel
    if closed || i == 1 {
        // vowel-initial words always take their coda (Ulang → ul)
        let coda = if w.get(i..i + 2) == Some("ng") { 2 } else { 1 };
        if i < b.len()
            && !is_vowel(b[i])
            && (i + coda >= b.len() || !is_vowel(b[i + coda]) || i == 1)
        {
            i += coda;
        }
    }
    w[..i.min(b.len())].to_string()
}

/// (acronym, expansion) built from the sector's vocabulary.
fn make_name(rng: &mut Rng, sector: &Sector) -> (String, String) {
    let lead = pick(rng, LEADS);
    let vocab: Vec<&str> = sector.words.split(' ').collect();
    let n = rng.random_range(2..=4);
    let words = sample(rng, &vocab, n);
    let tail = if rng.random::<f64>() < 0.35 {
        pick(rng, TAILS)
    } else {
        ""
    };
    let mut expansion = std::iter::once(lead)
        .chain(words.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    if !tail.is_empty() {
        expansion.push(' ');
        expansion.push_str(tail);
    }
    let mut content: Vec<&str> = words
        .iter()
        .copied()
        .chain(tail.split(' ').filter(|w| !w.is_empty()))
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
        .collect();
    let (prefix, sep) = match lead {
        "Sistem Informasi" | "Si" => ("SI", pick(rng, &[" ", "", "-"])),
        "Aplikasi" => ("E", "-"),
        _ => {
            content.insert(0, lead);
            ("", "")
        }
    };
    // One or two chunks of two or three words; words beyond are skipped, as real acronyms do.
    let two = content.len() >= 4 && rng.random::<f64>() < 0.6;
    let chunks: Vec<Vec<&str>> = if two {
        let k = rng.random_range(2..=3);
        vec![
            content[..2].to_vec(),
            content[2..(2 + k).min(content.len())].to_vec(),
        ]
    } else {
        let k = rng.random_range(2..=3);
        vec![content[..k.min(content.len())].to_vec()]
    };
    let mut parts = Vec::new();
    for c in chunks {
        let mut part = String::new();
        for (j, w) in c.iter().enumerate() {
            let closed = j == c.len() - 1 && rng.random::<f64>() < 0.6;
            part.push_str(&syllable(w, closed));
        }
        if part.len() > 7 {
            part = c.iter().map(|w| syllable(w, false)).collect();
        }
        parts.push(part.to_uppercase());
    }
    let acronym = parts.join(" ");
    let acronym = if prefix.is_empty() {
        acronym
    } else {
        format!("{prefix}{sep}{acronym}")
    };
    (acronym, expansion)
}

/// The contract's identity of an acronym: case-folded, letters and digits only.
fn compact(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn person(rng: &mut Rng) -> String {
    let first: Vec<&str> = FIRST.split(' ').collect();
    let last: Vec<&str> = LAST.split(' ').collect();
    let mut name = if rng.random::<f64>() < 0.2 {
        pick(rng, &first).to_string()
    } else {
        format!("{} {}", pick(rng, &first), pick(rng, &last))
    };
    if rng.random::<f64>() < 0.15 {
        name = format!("{} {name}", pick(rng, PRE_TITLES));
    }
    if rng.random::<f64>() < 0.3 {
        name = format!("{name}, {}", pick(rng, POST_TITLES));
    }
    name
}

struct Award {
    competition: &'static str,
    level: &'static str,
    year: i32,
    rank: &'static str,
    organizer: &'static str,
}

struct Entry {
    slug: String,
    acronym: String,
    expansion: String,
    agency: &'static str,
    innovator: String,
    start_year: i32,
    sector: &'static Sector,
    stage: &'static str,
    awards: Vec<Award>,
    summary: String,
    tags: Vec<&'static str>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Background,
    Unique,
    Impact,
    Sustain,
}

/// Random Indonesian-like sentences about one innovation.
struct Prose<'a> {
    e: &'a Entry,
    last: Option<&'static str>,
}

impl Prose<'_> {
    fn fill(&self, rng: &mut Rng, pattern: &str) -> String {
        let pr = sample(rng, PROBLEMS, 2);
        let me = sample(rng, MEANS, 2);
        let subjects: Vec<&str> = SUBJECTS
            .iter()
            .chain(self.e.sector.actors)
            .copied()
            .collect();
        let y = self.e.start_year.to_string();
        let time = pick(rng, TIMES).replace("{y}", &y);
        // Each placeholder takes one value wherever it appears; {PR} and {M} take a second
        // value from their second appearance on.
        let s = pattern
            .replacen("{PR}", "{PR1}", 1)
            .replace("{PR}", pr[1])
            .replacen("{M}", "{M1}", 1)
            .replace("{M}", me[1])
            .replace("{PR1}", pr[0])
            .replace("{M1}", me[0]);
        let mut s = s
            .replace("{S}", pick(rng, &subjects))
            .replace("{V}", pick(rng, VERBS))
            .replace("{O}", pick(rng, self.e.sector.objects))
            .replace("{A}", pick(rng, ADJS))
            .replace("{P}", pick(rng, PLACES))
            .replace("{T}", &time)
            .replace("{C}", pick(rng, CONNS))
            .replace("{y0}", &(self.e.start_year - 1).to_string())
            .replace("{ACR}", &self.e.acronym)
            .replace("{PS}", pick(rng, PASSIVES))
            .replace("{U}", pick(rng, UNITS))
            .replace("{R}", pick(rng, REPLICATORS));
        for (key, lo, hi) in [("{N}", 12, 4800), ("{p1}", 18, 55), ("{p2}", 60, 97)] {
            s = s.replace(key, &rng.random_range(lo..=hi).to_string());
        }
        s
    }

    fn sentence(&mut self, rng: &mut Rng, kind: Kind) -> String {
        let patterns: &[&'static str] = match kind {
            Kind::Background => &[
                "{S} {V} {O} {P} {T}.",
                "{C} {PR} membuat {O} belum {A}.",
                "Permasalahan utama adalah {PR}, sehingga {S} sulit {V} {O}.",
                "Kondisi ini diperparah oleh {PR} {P}.",
                "Data tahun {y0} menunjukkan bahwa hanya {p1} persen {U} yang {PS}.",
                "Keluhan yang paling sering muncul adalah {PR} dan {PR}.",
                "{S} selama ini mengandalkan cara manual yang kurang {A}.",
            ],
            Kind::Unique => &[
                "Inovasi {ACR} hadir untuk {V} {O} melalui {M}.",
                "{C} {S} tidak lagi perlu datang ke kantor karena layanan bersifat *{F}*.",
                "Keunikan {ACR} terletak pada {M} yang **{A}**.",
                "{S} {V} {O} dengan cara yang lebih {A}.",
                "Berbeda dengan layanan sebelumnya, {ACR} menggabungkan {M} dan {M}.",
                "Setiap permohonan dicatat sehingga {S} dapat {V} {O} secara *{F}*.",
            ],
            Kind::Impact => &[
                "Sebanyak {N} {U} telah {PS} {T}.",
                "Hasilnya, {O} meningkat dari {p1} persen menjadi {p2} persen.",
                "{C} {O} menjadi lebih {A} {P}.",
                "{S} merasakan manfaat langsung berupa {O} yang lebih baik.",
                "Survei kepuasan mencatat nilai {p2} dari 100 pada akhir tahun.",
                "Biaya yang dikeluarkan {U} turun hingga {p1} persen dibanding sebelumnya.",
            ],
            Kind::Sustain => &[
                "Pendekatan ini {A} dan mudah direplikasi oleh {R}.",
                "{C} {S} {V} {O} {T}.",
                "Keberlanjutan {ACR} dijamin melalui {M} dan dukungan {S}.",
                "Ke depan, {ACR} akan diperluas ke {R} dengan memperkuat {M}.",
                "Komitmen pimpinan daerah menjadi kunci agar {S} terus {V} {O}.",
            ],
        };
        let fresh: Vec<&'static str> = patterns
            .iter()
            .copied()
            .filter(|p| Some(*p) != self.last)
            .collect();
        let pattern = pick(rng, &fresh);
        self.last = Some(pattern);
        let s = self.fill(rng, pattern).replace("{F}", pick(rng, FOREIGN));
        let mut chars = s.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => s,
        }
    }

    fn paragraphs(&mut self, rng: &mut Rng, kind: Kind, words: usize) -> Vec<String> {
        let (mut out, mut para, mut n) = (Vec::new(), Vec::new(), 0);
        while n < words {
            let s = self.sentence(rng, kind);
            n += s.split_whitespace().count();
            para.push(s);
            if para.len() >= rng.random_range(3..=5) {
                out.push(para.join(" "));
                para.clear();
            }
        }
        if !para.is_empty() {
            out.push(para.join(" "));
        }
        out
    }
}

fn body(rng: &mut Rng, e: &Entry, words: usize) -> String {
    let mut p = Prose { e, last: None };
    // The table, list, headings and link take about 110 words.
    let words = words.saturating_sub(110).max(40) as f64;
    let mut out = vec!["## Latar Belakang".to_string()];
    out.extend(p.paragraphs(rng, Kind::Background, (words * 0.3) as usize));
    out.push("## Keunikan".into());
    out.extend(p.paragraphs(rng, Kind::Unique, (words * 0.25) as usize));
    // About one entry in twenty carries a fenced code block.
    if rng.random::<f64>() < 0.05 {
        out.push(if rng.random::<bool>() {
            format!(
                "```text\nFormat SMS: DAFTAR#NIK#NAMA#DESA\nContoh   : DAFTAR#{}#SITI AMINAH#SUKAMAJU\n```",
                rng.random_range(10u64.pow(15)..10u64.pow(16))
            )
        } else {
            format!(
                "```json\n{{\n  \"layanan\": \"{}\",\n  \"kanal\": [\"whatsapp\", \"sms\"],\n  \"jam_buka\": \"08:00-16:00\"\n}}\n```",
                e.acronym
            )
        });
    }
    let k = rng.random_range(3..=5);
    let mut table = "| Indikator | Sebelum | Sesudah |\n| --- | ---: | ---: |".to_string();
    for ind in sample(rng, INDICATORS, k) {
        let (a, b) = (rng.random_range(5..=60), rng.random_range(40..=99));
        let _ = write!(table, "\n| {ind} | {a} | {b} |");
    }
    out.push("## Dampak".into());
    out.extend(p.paragraphs(rng, Kind::Impact, (words * 0.25) as usize));
    out.push(table);
    out.push("## Keberlanjutan".into());
    out.extend(p.paragraphs(rng, Kind::Sustain, (words * 0.2) as usize));
    let k = rng.random_range(3..=6);
    let items: Vec<String> = sample(rng, SUSTAIN, k)
        .into_iter()
        .map(|s| {
            format!(
                "- {}",
                s.replace("{a}", &rng.random_range(2..=60).to_string())
                    .replace("{y}", &e.start_year.to_string())
            )
        })
        .collect();
    out.push(items.join("\n"));
    out.push(format!(
        "Informasi lengkap tersedia di [laman inovasi daerah](https://inovasi.example.go.id/{}).",
        e.slug
    ));
    out.join("\n\n") + "\n"
}

/// A JSON string is a valid YAML double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

fn front_matter(e: &Entry) -> String {
    let mut out = format!(
        "---\nacronym: {}\nexpansion: {}\nagency: {}\ninnovator: {}\nstart_year: {}\nsector: {}\nstage: {}\n",
        q(&e.acronym),
        q(&e.expansion),
        q(e.agency),
        q(&e.innovator),
        e.start_year,
        q(e.sector.key),
        q(e.stage)
    );
    if e.awards.is_empty() {
        out.push_str("awards: []\n");
    } else {
        out.push_str("awards:\n");
        for a in &e.awards {
            let _ = writeln!(
                out,
                "  - {{ competition: {}, level: {}, year: {}, rank: {}, organizer: {} }}",
                q(a.competition),
                q(a.level),
                a.year,
                q(a.rank),
                q(a.organizer)
            );
        }
    }
    let tags: Vec<String> = e.tags.iter().map(|t| q(t)).collect();
    let _ = write!(
        out,
        "summary: {}\ntags: [{}]\n---\n",
        q(&e.summary),
        tags.join(", ")
    );
    out
}

fn entry(rng: &mut Rng, used: &mut HashSet<String>) -> Entry {
    let &(agency, _, short, primary, _) = AGENCIES.choose_weighted(rng, |a| a.4).expect("weights");
    let sector = if rng.random::<f64>() < 0.8 {
        SECTORS.iter().find(|s| s.key == primary).expect("a sector")
    } else {
        SECTORS.choose(rng).expect("sectors")
    };
    let (mut acronym, mut expansion) = (String::new(), String::new());
    let mut found = false;
    for attempt in 0..40 {
        (acronym, expansion) = make_name(rng, sector);
        if attempt >= 30 {
            // A crowded name space: real catalogues add versions too.
            acronym = format!(
                "{acronym} {}",
                pick(rng, &["2.0", "PLUS", "II", "III", "MILENIAL"])
            );
        }
        let len = acronym.replace(' ', "").len();
        if !used.contains(&compact(&acronym)) && (3..=16).contains(&len) {
            found = true;
            break;
        }
    }
    if !found {
        acronym = format!("{acronym} {}", used.len());
    }
    used.insert(compact(&acronym));
    let start_year = YEARS.choose_weighted(rng, |y| y.1).expect("weights").0;
    let age = 2026 - start_year;
    let stage_weights = [3, 3, 2 + 2 * age as u32];
    let stage = *STAGES
        .iter()
        .zip(stage_weights)
        .collect::<Vec<_>>()
        .choose_weighted(rng, |s| s.1)
        .expect("weights")
        .0;
    let mut awards = Vec::new();
    if rng.random::<f64>() < 0.3 {
        let count = *[(1, 7), (2, 2), (3, 1)]
            .choose_weighted(rng, |c| c.1)
            .map(|(c, _)| c)
            .expect("weights");
        for _ in 0..count {
            let &(competition, level, organizer, ranks) =
                COMPETITIONS.choose(rng).expect("competitions");
            awards.push(Award {
                competition,
                level,
                year: rng.random_range(start_year..=(start_year + 4).min(2026)),
                rank: pick(rng, ranks),
                organizer,
            });
        }
        awards.sort_by(|a, b| {
            (a.year, a.competition, a.level).cmp(&(b.year, b.competition, b.level))
        });
    }
    let slug = slugify(&acronym);
    let mut summary = format!(
        "{acronym} adalah inovasi {short} untuk {} {} {}.",
        pick(rng, VERBS),
        pick(rng, sector.objects),
        pick(rng, PLACES)
    );
    if rng.random::<f64>() < 0.5 {
        let _ = write!(
            summary,
            " Inovasi ini memanfaatkan {} yang {}.",
            pick(rng, MEANS),
            pick(rng, ADJS)
        );
    }
    let k = rng.random_range(1..=3);
    let mut tags = sample(rng, sector.tags, k);
    let k = rng.random_range(1..=2);
    tags.extend(sample(
        rng,
        &[
            "inovasi-daerah",
            "digitalisasi",
            "partisipasi-masyarakat",
            "kolaborasi",
            "replikasi",
            "desa",
        ],
        k,
    ));
    Entry {
        slug,
        acronym,
        expansion,
        agency,
        innovator: person(rng),
        start_year,
        sector,
        stage,
        awards,
        summary,
        tags,
    }
}

fn main() -> std::io::Result<()> {
    let a = Args::parse();
    let mut rng = Rng::seed_from_u64(a.seed);
    let content = a.out.join("content");
    let inno = content.join("innovations");
    if inno.exists() {
        std::fs::remove_dir_all(&inno)?;
    }
    std::fs::create_dir_all(&inno)?;
    let mut ag = String::from("# key -> name, short form\n");
    for (key, name, short, _, _) in AGENCIES {
        let _ = write!(ag, "{key}:\n  name: {}\n  short: {}\n", q(name), q(short));
    }
    std::fs::write(content.join("agencies.yaml"), ag)?;
    let mut co = String::from("# key -> name, short form\n");
    for (key, name, short) in COMPETITION_NAMES {
        let _ = write!(co, "{key}:\n  name: {}\n  short: {}\n", q(name), q(short));
    }
    std::fs::write(content.join("competitions.yaml"), co)?;
    let mut used = HashSet::new();
    let mut total_words = 0;
    for _ in 0..a.n {
        let e = entry(&mut rng, &mut used);
        let text = format!("{}\n{}", front_matter(&e), body(&mut rng, &e, a.words));
        total_words += text.split_whitespace().count();
        std::fs::write(inno.join(format!("{}.md", e.slug)), text)?;
    }
    println!(
        "wrote {} entries ({total_words} words incl. front matter) to {}",
        a.n,
        inno.display()
    );
    Ok(())
}
