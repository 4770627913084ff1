#include "welcomepage.h"

#include <QCommandLinkButton>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace kiln {

namespace {

QLabel *heading(const QString &text, QWidget *parent, qreal scale = 1.25)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * scale);
    label->setFont(font);
    return label;
}

// A button with a title and a wrapped line under it (Qt's command link).
QCommandLinkButton *link(const QString &title, const QString &description, QWidget *parent)
{
    auto *button = new QCommandLinkButton(title, description, parent);
    // As tall as its text at the width it gets: its size hint assumes a narrow
    // button, so a long description would leave a gap below it.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    policy.setHeightForWidth(true);
    button->setSizePolicy(policy);
    return button;
}

} // namespace

QList<WelcomePage::Example> WelcomePage::examples()
{
    return {
        {QStringLiteral(":/kiln/examples/tour.kiln.md"), tr("A tour of Kiln"),
         tr("Tensors, a live plot and a short training run, cell by cell")},
        {QStringLiteral(":/kiln/examples/fashion_mnist_mlp.kiln.md"), tr("Fashion-MNIST with a multilayer perceptron"),
         tr("Load the dataset, train a small network, plot its loss and accuracy")},
        {QStringLiteral(":/kiln/examples/fashion_mnist_cnn.kiln.md"), tr("Fashion-MNIST with a convolutional network"),
         tr("A CNN on the same images, saved for the inference panel")},
        {QStringLiteral(":/kiln/examples/semantic_search.kiln.md"), tr("Semantic search with a pretrained model"),
         tr("all-MiniLM-L6-v2 from the Hugging Face Hub: sentences to vectors, then search by meaning")},
    };
}

WelcomePage::WelcomePage(QWidget *parent)
    : QScrollArea(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(this);
    auto *outer = new QHBoxLayout(content);
    // A readable column in the middle of a wide window.
    auto *column = new QWidget(content);
    column->setMaximumWidth(760);
    outer->addStretch(1);
    outer->addWidget(column, 8);
    outer->addStretch(1);
    auto *layout = new QVBoxLayout(column);
    layout->setSpacing(6);

    layout->addWidget(heading(tr("Welcome to Kiln"), column, 1.8));
    auto *intro = new QLabel(tr("Notebooks of Markdown and Lua cells that run PyTorch's engine on this computer, "
                                "and panels to inspect, train and run models without code."),
                             column);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    layout->addSpacing(12);
    layout->addWidget(heading(tr("Start"), column));
    auto *newButton = link(tr("New notebook"), tr("An empty notebook with one code cell"), column);
    newButton->setObjectName(QStringLiteral("welcomeNew"));
    connect(newButton, &QAbstractButton::clicked, this, &WelcomePage::newRequested);
    layout->addWidget(newButton);
    auto *openButton = link(tr("Open…"), tr("A .kiln.md notebook from disk"), column);
    connect(openButton, &QAbstractButton::clicked, this, &WelcomePage::openRequested);
    layout->addWidget(openButton);

    layout->addSpacing(12);
    layout->addWidget(heading(tr("Examples"), column));
    for (const Example &example : examples()) {
        auto *button = link(example.title, example.summary, column);
        button->setObjectName(QStringLiteral("example:") + QFileInfo(example.path).fileName());
        connect(button, &QAbstractButton::clicked, this, [this, path = example.path] { Q_EMIT exampleRequested(path); });
        layout->addWidget(button);
    }

    layout->addSpacing(12);
    layout->addWidget(heading(tr("Recent"), column));
    auto *recentBox = new QWidget(column);
    mRecent = new QVBoxLayout(recentBox);
    mRecent->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(recentBox);

    layout->addSpacing(12);
    layout->addWidget(heading(tr("Panels"), column));
    const QList<std::tuple<QString, QString, QString>> panels = {
        {QStringLiteral("models"), tr("Models"),
         tr("Find and inspect model files: TorchScript, .pt2, safetensors, state dicts (View > Models)")},
        {QStringLiteral("training"), tr("Training"),
         tr("Train a model on a CSV, an image folder or Fashion-MNIST, with live loss curves (View > Training)")},
        {QStringLiteral("inference"), tr("Inference"),
         tr("Run a model over images, CSV rows or tensors and export the predictions (View > Inference)")},
        {QStringLiteral("variables"), tr("Variables"),
         tr("The notebook's tensors, models and values: shapes, memory, and tensors as grids, images or histograms "
            "(View > Variables)")},
    };
    for (const auto &[name, title, description] : panels) {
        auto *button = link(title, description, column);
        button->setObjectName(QStringLiteral("panel:") + name);
        connect(button, &QAbstractButton::clicked, this, [this, name = name] { Q_EMIT panelRequested(name); });
        layout->addWidget(button);
    }
    layout->addStretch(1);
    setWidget(content);
}

void WelcomePage::setRecentFiles(const QStringList &paths)
{
    while (QLayoutItem *item = mRecent->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (paths.isEmpty()) {
        auto *none = new QLabel(tr("Notebooks you open appear here."), mRecent->parentWidget());
        none->setEnabled(false);
        mRecent->addWidget(none);
        return;
    }
    for (const QString &path : paths) {
        auto *button = link(QFileInfo(path).fileName(), QDir::toNativeSeparators(QFileInfo(path).absolutePath()),
                            mRecent->parentWidget());
        button->setObjectName(QStringLiteral("recent"));
        connect(button, &QAbstractButton::clicked, this, [this, path] { Q_EMIT fileRequested(path); });
        mRecent->addWidget(button);
    }
}

} // namespace kiln
